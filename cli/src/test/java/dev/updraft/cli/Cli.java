package dev.updraft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs real {@code updraft} command lines in-process, in a folder, with an environment of the test's choosing. */
final class Cli {
    final Path dir;
    final Map<String, String> env = new HashMap<>();

    Cli(Path dir) {
        this.dir = dir;
        env.put("HOME", dir.resolve(".home").toString()); // no user config unless a test writes one
    }

    record Result(int exitCode, String out, String err) {
        /** stdout as JSON. */
        JsonNode json() {
            return parse(out);
        }

        /** stderr as JSON: the one error object of --json mode. */
        JsonNode errorJson() {
            return parse(err);
        }

        private static JsonNode parse(String text) {
            try {
                return Json.MAPPER.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Context ctx = new Context(dir, env, new PrintWriter(out, true), new PrintWriter(err, true), false);
        int code = Updraft.run(ctx, args);
        return new Result(code, out.toString(), err.toString());
    }
}
