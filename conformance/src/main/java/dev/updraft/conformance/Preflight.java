package dev.updraft.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Before the stage starts: runs the client command once with its input closed (an adapter exits when its input
 * ends). A command the shell cannot run (exit code 126 or 127) stops the run with one line instead of failing every
 * scenario.
 */
final class Preflight {
    private Preflight() {}

    static void check(String command, Path workDir, Path work) throws IOException, InterruptedException {
        Path err = Files.createDirectories(work).resolve("preflight.stderr");
        Process p = new ProcessBuilder(List.of("sh", "-c", command))
                .directory(workDir.toFile())
                .redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return; // it runs; whether it speaks the protocol the first scenario shows
        }
        int code = p.exitValue();
        if (code == 126 || code == 127) {
            String why = Files.readAllLines(err).stream()
                    .filter(l -> !l.isBlank())
                    .reduce((a, b) -> b)
                    .orElse("exit code " + code);
            throw new ClientCommandException("the client command '" + command + "' cannot be run: " + why.strip());
        }
    }

    /** The --client command cannot be run at all. */
    static final class ClientCommandException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClientCommandException(String message) {
            super(message);
        }
    }
}
