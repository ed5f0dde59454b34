package dev.updraft.cli.bundle;

import dev.updraft.cli.BaseCommand;
import dev.updraft.cli.CliException;
import dev.updraft.cli.Json;
import dev.updraft.cli.Progress;
import dev.updraft.cli.Project;
import dev.updraft.crypto.zip.BundleZipper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code updraft bundle zip}: the build folder as a bundle zip, and its SHA-256. */
@Command(
        name = "zip",
        description = {
            "Zip a web build folder into a bundle and print the zip's SHA-256.",
            "The folder's contents go at the zip root, nothing excluded. The SHA-256 is what 'bundle encrypt' (or, for an "
                    + "unencrypted bundle, 'bundle upload --checksum') needs.",
            "Checks first that index.html is at the root and that some .js file calls notifyAppReady()."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  updraft bundle zip com.example.app --path www --bundle 1.0.1",
            "  updraft bundle zip --json                  # app id and webDir from capacitor.config.json, version from package.json",
            "  updraft bundle zip --path dist --bundle 1.0.1 --reproducible --name app.zip"
        })
public final class ZipCommand extends BaseCommand {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "APP_ID",
            description = "The app id (default: appId of capacitor.config.json).")
    String appIdArg;

    @Option(
            names = {"-p", "--path"},
            paramLabel = "DIR",
            description = "The build folder to zip (default: webDir of capacitor.config.json).")
    String path;

    @Option(
            names = {"-b", "--bundle"},
            paramLabel = "VERSION",
            description = "The bundle version, semver (default: version of package.json).")
    String bundle;

    @Option(
            names = {"-n", "--name"},
            paramLabel = "FILE",
            description = "The zip file to write (default: <appId>_<version>.zip in the current folder).")
    String name;

    @Option(
            names = "--no-code-check",
            description = "Skip the checks for index.html at the root and a notifyAppReady() call.")
    boolean noCodeCheck;

    @Option(
            names = "--reproducible",
            description = "Sorted entries, fixed timestamps and modes: the same folder always gives the same checksum.")
    boolean reproducible;

    @Option(
            names = "--package-json",
            paramLabel = "FILE",
            description = "The package.json to read the version from (default: ./package.json).")
    Path packageJson;

    @Option(
            names = "--key-v2",
            hidden = true,
            description = "Accepted for Capgo compatibility; the checksum is always SHA-256.")
    boolean keyV2;

    @Override
    protected void run() throws IOException {
        String appId = appId(appIdArg);
        String version = bundleVersion(bundle, packageJson == null ? null : ctx.resolve(packageJson));
        Path folder = ctx.resolve(buildFolder());
        if (!Files.isDirectory(folder)) {
            throw CliException.failed(
                    "path_not_found",
                    "the build folder " + ctx.display(folder)
                            + " does not exist (build the app first, or pass --path)");
        }
        String fileName = name != null ? name : appId + "_" + version + ".zip";
        Path out = ctx.resolve(fileName);

        note("Zipping " + appId + "@" + version + " from " + ctx.display(folder));
        BundleZipper.ZippedBundle zipped;
        try (Progress progress = progress("Zipping", totalSize(folder))) {
            zipped = BundleZipper.zip(folder, out, new BundleZipper.Options(!noCodeCheck, reproducible), progress);
        }
        say("Zipped " + zipped.size() + " bytes (" + zipped.entries() + " files and folders)");
        say("Checksum SHA256: " + zipped.checksum().hex());
        say("Saved to " + fileName);
        printJson(Json.object()
                .put("bundle", version)
                .put("filename", fileName)
                .put("checksum", zipped.checksum().hex()));
    }

    private String buildFolder() {
        if (path != null) {
            return path;
        }
        Project.Config config = project().config();
        if (config != null && config.webDir() != null) {
            return config.webDir();
        }
        throw CliException.usage(
                "missing_path",
                "no build folder: pass --path DIR (or run where " + Project.CONFIG_FILE + " has a webDir)");
    }

    private static long totalSize(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }
}
