package dev.updraft.it;

import static dev.updraft.it.TwoInstancesOnPostgresIT.KEY;
import static dev.updraft.it.TwoInstancesOnPostgresIT.appOnProduction;
import static dev.updraft.it.TwoInstancesOnPostgresIT.check;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The self-contained distribution, {@code distribution/target/updraft-<version>-linux-x64.tar.gz}, as an operator
 * installs it (docs/operations.md, "Installing"): unpacked with tar, started through its launcher on a PATH without
 * any java, so only its bundled runtime can run it; with the data folder and the embedded PostgreSQL's binaries where
 * the systemd unit puts them (one state directory), and a HOME it must not write to.
 */
class DistributionIT {
    static Path unpacked;
    static Path state;
    static Path home;
    static Path tools;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = archive();
        Path root = Path.of("target", "it", "dist").toAbsolutePath();
        run(List.of("rm", "-rf", root.toString()));
        Files.createDirectories(root);
        run(List.of("tar", "-xzf", archive.toString(), "-C", root.toString()));
        try (Stream<Path> top = Files.list(root)) {
            List<Path> dirs = top.toList();
            assertThat(dirs).as("one top folder, updraft-<version>").hasSize(1);
            unpacked = dirs.get(0);
        }
        state = Files.createDirectories(root.resolve("state"));
        home = Files.createDirectories(root.resolve("home"));
        // PATH: every tool of /usr/bin except the JDK's, so the launcher cannot find a java of the machine (the
        // embedded PostgreSQL needs some of them, e.g. unshare to run initdb as a non-root user under root).
        tools = Files.createDirectories(root.resolve("tools"));
        List<String> usrBin;
        try (Stream<Path> all = Files.list(Path.of("/usr/bin"))) {
            usrBin = all.map(p -> p.getFileName().toString())
                    .filter(name -> !JDK_TOOLS.matcher(name).matches())
                    .toList();
        }
        for (String tool : usrBin) {
            Files.createSymbolicLink(tools.resolve(tool), Path.of("/usr/bin", tool));
        }
    }

    private static final java.util.regex.Pattern JDK_TOOLS = java.util.regex.Pattern.compile(
            "java|javac|javadoc|javap|jar|jarsigner|jshell|jlink|jdeps|jcmd|jps|jstack|jmap|jstat|jstatd|jrunscript|"
                    + "keytool|jfr|jdb|jhsdb|jinfo|jpackage|jconsole|jimage|jmod|rmiregistry|serialver|jdeprscan|jwebserver");

    static Path archive() throws IOException {
        Path target = Repo.root().resolve("distribution/target");
        try (Stream<Path> files = Files.list(target)) {
            List<Path> archives = files.filter(
                            p -> p.getFileName().toString().matches("updraft-.+-linux-x64\\.tar\\.gz"))
                    .toList();
            assertThat(archives).as("the archive the build writes in " + target).hasSize(1);
            return archives.get(0);
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        // the unpacked runtime is large; the logs stay in target/it/dist
        if (unpacked != null) {
            run(List.of("rm", "-rf", unpacked.toString()));
        }
    }

    @Test
    void theServerRunsOnTheBundledRuntimeWithItsDataInTheStateDirectory() throws Exception {
        assertThat(unpacked.resolve("runtime/bin/java")).isExecutable();
        // a jlinked runtime, not a copied JDK: no jmods and none of the JDK's tools beyond what jdeps asked for
        // (the server needs jdk.compiler, so javac is there)
        assertThat(unpacked.resolve("runtime/jmods"))
                .as("a jlinked runtime, not a copied JDK")
                .doesNotExist();
        assertThat(unpacked.resolve("runtime/bin/jlink"))
                .as("a jlinked runtime, not a copied JDK")
                .doesNotExist();
        assertThat(unpacked.resolve("runtime/bin/jshell"))
                .as("a jlinked runtime, not a copied JDK")
                .doesNotExist();
        assertThat(unpacked.resolve("server/quarkus-run.jar")).isRegularFile();
        assertThat(unpacked.resolve("lib/updraft-cli.jar")).isRegularFile();
        assertThat(unpacked.resolve("lib/updraft-sim.jar")).isRegularFile();

        try (ServerProcess server = ServerProcess.on(state.resolve("data"))
                .launcher(unpacked.resolve("bin/updraft"))
                .env("PATH", tools.toString())
                .env("HOME", home.toString())
                .env("JAVA_HOME", "/nonexistent")
                .env("UPDRAFT_JAVA_OPTS", "-Xmx256m")
                .env(
                        "UPDRAFT_DB_EMBEDDED_BINARIES_DIR",
                        state.resolve("pg-binaries").toString())
                .env("UPDRAFT_ADMIN_API_KEY", KEY)
                .start()) {
            assertThat(server.command())
                    .as("the JVM is the bundled runtime's")
                    .isEqualTo(unpacked.resolve("runtime/bin/java").toRealPath().toString());
            String app = "com.example.dist";
            appOnProduction(server.url(""), app);
            assertThat(check(server.url(""), app)).contains("\"version\":\"1.0.1\"");

            assertThat(state.resolve("data/pg/PG_VERSION"))
                    .as("the embedded database in the state directory")
                    .exists();
            try (Stream<Path> binaries = Files.list(state.resolve("pg-binaries"))) {
                assertThat(binaries.toList())
                        .as("its binaries, unpacked in the state directory")
                        .isNotEmpty();
            }
            try (Stream<Path> written = Files.list(home)) {
                assertThat(written.toList()).as("nothing written to HOME").isEmpty();
            }
        }
    }

    @Test
    void theCliAndTheSimulatorRunOnTheBundledRuntime() throws Exception {
        assertThat(launch("--version")).contains("0.1.0");
        assertThat(launch("sim", "--version")).isNotBlank();
    }

    @Test
    void aLauncherWithoutItsRuntimeSaysSoInOneLine() throws Exception {
        Path broken = Files.createDirectories(state.getParent().resolve("no-runtime/bin"));
        Files.copy(
                unpacked.resolve("bin/updraft"),
                broken.resolve("updraft"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder pb = new ProcessBuilder(broken.resolve("updraft").toString(), "server");
        pb.environment().put("PATH", tools.toString());
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor()).isEqualTo(1);
        assertThat(err.strip().lines()).hasSize(1);
        assertThat(err).startsWith("updraft: the bundled Java runtime is missing");
    }

    /** Runs the distribution's launcher with these arguments on the tools-only PATH; its standard output. */
    static String launch(String... args) throws IOException, InterruptedException {
        List<String> cmd =
                new ArrayList<>(List.of(unpacked.resolve("bin/updraft").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", tools.toString());
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ":\n" + out).isZero();
        return out;
    }

    static void run(List<String> command) throws IOException, InterruptedException {
        MultiInstanceIT.run(command.toArray(String[]::new));
    }
}
