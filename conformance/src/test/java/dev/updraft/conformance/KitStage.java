package dev.updraft.conformance;

import dev.updraft.crypto.BundlePrivateKey;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The one stage of the kit's tests (the packaged server, the store, the front), started once for all test classes of
 * the module and stopped when the JVM ends, plus the client commands the tests run.
 */
final class KitStage {
    private static Stage stage;
    private static Runner runner;

    private KitStage() {}

    static synchronized Runner runner() throws Exception {
        if (stage == null) {
            Path work = Files.createTempDirectory("conformance-test-");
            stage = Stage.start(work);
            runner = new Runner(stage, BundlePrivateKey.generate());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    stage.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        return runner;
    }

    private static Path archive;
    private static String adapterClassPath;

    /**
     * The reference adapter as a real process on this JVM's class path, with the launcher's lean start (C1 only, a
     * class-data archive recorded once by {@code --train}); deviations optional.
     */
    static synchronized String simAdapter(String... deviations) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (archive == null) {
            adapterClassPath = jarredClassPath();
            // one archive and class path per JVM: surefire runs two forks of this module at once
            archive = Path.of(
                            "target",
                            "sim-adapter-test-" + ProcessHandle.current().pid() + ".jsa")
                    .toAbsolutePath();
            Files.deleteIfExists(archive);
            Process p = new ProcessBuilder(
                            java,
                            "-XX:ArchiveClassesAtExit=" + archive,
                            "-Xlog:cds=off",
                            "-Xlog:cds+dynamic=off",
                            "-XX:TieredStopAtLevel=1",
                            "-XX:+UseSerialGC",
                            "-cp",
                            adapterClassPath,
                            "dev.updraft.conformance.sim.SimAdapter",
                            "--train")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("the adapter's training run exited with " + p.exitValue());
            }
        }
        List<String> cmd = new ArrayList<>(List.of(
                quote(java),
                "-XX:SharedArchiveFile=" + quote(archive.toString()),
                "-Xlog:cds=off",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                quote(adapterClassPath),
                "dev.updraft.conformance.sim.SimAdapter"));
        for (String d : deviations) {
            cmd.add("--deviation");
            cmd.add(d);
        }
        return String.join(" ", cmd);
    }

    /**
     * This JVM's class path with every class folder replaced by a jar of it (a class-data archive takes jars only)
     * and without the test classes (the adapter is main code).
     */
    private static String jarredClassPath() throws IOException {
        Path dir = Files.createDirectories(
                Path.of("target", "adapter-classpath-" + ProcessHandle.current().pid())
                        .toAbsolutePath());
        List<String> out = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!Files.isDirectory(p)) {
                out.add(entry);
            } else if (!p.endsWith("test-classes")) {
                Path jar = dir.resolve((++n) + "-" + p.getParent().getParent().getFileName() + ".jar");
                try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar));
                        Stream<Path> files = Files.walk(p)) {
                    for (Path f :
                            (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                        j.putNextEntry(new JarEntry(p.relativize(f).toString().replace('\\', '/')));
                        Files.copy(f, j);
                        j.closeEntry();
                    }
                }
                out.add(jar.toString());
            }
        }
        return String.join(File.pathSeparator, out);
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * The catalogue in two halves, each run by its own test class, so that surefire's two forks run them at once: the
     * install life cycle and the files (these globs), and everything else ({@link #restOf}).
     */
    static final List<String> LIFECYCLE_AND_FILES =
            List.of("install/*", "rollback/*", "builtin/*", "error-state/*", "resume/*", "store/*", "zip/*");

    /** The scenarios no glob of {@code globs} selects. */
    static List<String> restOf(List<String> globs) {
        Set<String> taken = Runner.select(Scenarios.all(), globs).stream()
                .map(Scenario::name)
                .collect(java.util.stream.Collectors.toSet());
        return Scenarios.all().stream()
                .map(Scenario::name)
                .filter(n -> !taken.contains(n))
                .toList();
    }

    static List<Outcome> run(String client, String platform, Set<String> xfail, String... globs) throws Exception {
        List<Scenario> selected = Runner.select(Scenarios.all(), List.of(globs));
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("no scenario matches " + List.of(globs));
        }
        return runner().run(
                        selected, new RunSettings(client, Path.of("").toAbsolutePath(), platform), xfail, System.out);
    }
}
