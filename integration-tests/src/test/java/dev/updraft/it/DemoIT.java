package dev.updraft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, {@code ./updraft demo}, through the launcher, on the jars this build packaged. */
class DemoIT {
    @TempDir
    Path work;

    @Test
    void theDemoRunsTheWholeFlowAndExitsZero() throws Exception {
        Path log = work.resolve("demo.out");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                        Repo.root().resolve("updraft").toString(),
                        "demo",
                        "--work-dir",
                        work.resolve("demo").toString(),
                        "--port",
                        String.valueOf(FreePort.find()),
                        "--management-port",
                        String.valueOf(FreePort.find()),
                        "--store-port",
                        String.valueOf(FreePort.find())))
                .directory(Repo.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("UPDRAFT_NO_BUILD", "1"); // this build just packaged every jar
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process demo = pb.start();
        boolean done = demo.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            demo.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        java.util.regex.Matcher fetched = java.util.regex.Pattern.compile(
                        "ok: the device fetched (\\d+) bytes for 1\\.0\\.2: 1 file, (\\d+) reused")
                .matcher(out);
        assertThat(done).as("the demo finished within 5 minutes:\n" + out).isTrue();
        assertThat(demo.exitValue()).as(out).isZero();
        assertThat(out)
                .contains("[1/8]", "[2/8]", "[3/8]", "[4/8]", "[5/8]", "[6/8]", "[7/8]", "[8/8]")
                .contains("ok: the device runs 1.0.1, confirmed (status success)")
                .contains("ok: the device runs 1.0.2, confirmed (status success)")
                .contains("reused from what it had")
                .contains("ok: the device reported update_fail for 1.0.3")
                .contains("ok: the server paused the rollout by itself: ")
                .contains("devices failed 1.0.4")
                .contains("1.0.4 at 50%, paused by auto")
                .contains("Every step behaved as expected")
                .doesNotContain("FAILED");
        // the delta: one changed file of the three fetched, a few hundred bytes, not the zip
        assertThat(fetched.find()).as(out).isTrue();
        assertThat(Long.parseLong(fetched.group(1))).isBetween(1L, 2_000L);
        assertThat(Integer.parseInt(fetched.group(2))).isEqualTo(2);
        // it stopped what it started: the server's port can be bound again
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("server +http://127\\.0\\.0\\.1:(\\d+)")
                .matcher(out);
        assertThat(m.find()).isTrue();
        try (java.net.ServerSocket again = new java.net.ServerSocket(Integer.parseInt(m.group(1)))) {
            assertThat(again.getLocalPort()).isEqualTo(Integer.parseInt(m.group(1)));
        }
    }

    @Test
    void theLauncherPassesHelpAndVersionToTheSimulator() throws Exception {
        Launched help = launch("sim", "--help");
        assertThat(help.exit()).as(help.out()).isZero();
        assertThat(help.out()).contains("Usage: updraft-sim", "run", "load", "store");
        Launched version = launch("sim", "--version");
        assertThat(version.exit()).as(version.out()).isZero();
        // the shaded jar's manifest carries the build's version
        assertThat(version.out().strip())
                .matches("updraft-sim \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(plays @capgo/capacitor-updater .*");
        Launched bad = launch("sim", "run", "--app", "com.example.app", "--platform", "windows");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.out().strip())
                .startsWith("error: Invalid value for option '--platform'")
                .doesNotContain("\n");
    }

    private record Launched(int exit, String out) {}

    private Launched launch(String... args) throws Exception {
        Path log = work.resolve("launcher.out");
        List<String> command =
                new java.util.ArrayList<>(List.of(Repo.root().resolve("updraft").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("UPDRAFT_NO_BUILD", "1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        if (!p.waitFor(1, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("./updraft " + String.join(" ", args) + " did not end within a minute");
        }
        return new Launched(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
