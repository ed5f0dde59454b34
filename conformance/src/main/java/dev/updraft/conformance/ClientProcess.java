package dev.updraft.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The client under test: one process per scenario, started from the {@code --client} command line through
 * {@code sh -c}, driven with one JSON request per line on its standard input and answering one JSON object per line
 * on its standard output (docs/conformance.md, "The client protocol"). Its standard error goes to a log file.
 */
final class ClientProcess implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** How long one request may take; the slowest scenario (a hanging store) needs the client's own read timeout. */
    private static final long ANSWER_TIMEOUT_SECONDS = 60;

    private final Process process;
    private final OutputStream stdin;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path stderrLog;
    private final Deque<String> transcript = new ArrayDeque<>();
    private int nextId = 1;
    private volatile boolean eof;

    private ClientProcess(Process process, Path stderrLog) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stderrLog = stderrLog;
        Thread reader = new Thread(this::readLines, "conformance-client-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code command} in {@code workDir}; its standard error goes to {@code stderrLog}. */
    static ClientProcess start(String command, Path workDir, Path stderrLog) throws ClientException {
        try {
            Process p = new ProcessBuilder(List.of("sh", "-c", command))
                    .directory(workDir.toFile())
                    .redirectError(ProcessBuilder.Redirect.to(stderrLog.toFile()))
                    .start();
            return new ClientProcess(p, stderrLog);
        } catch (IOException e) {
            throw new ClientException("cannot start the client '" + command + "': " + e.getMessage());
        }
    }

    private void readLines() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process went away; eof below tells the waiting request
        } finally {
            eof = true;
        }
    }

    /**
     * Sends {@code cmd} with the given fields and returns the answer with the same id. A client that dies, closes its
     * output, answers something other than one JSON object or takes too long is a {@link ClientException}.
     */
    JsonNode send(String cmd, ObjectNode fields) throws ClientException {
        int id = nextId++;
        ObjectNode request = fields == null ? JSON.createObjectNode() : fields.deepCopy();
        request.put("id", id);
        request.put("cmd", cmd);
        String text = request.toString();
        remember("> " + text);
        try {
            stdin.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw died("while sending " + cmd);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ANSWER_TIMEOUT_SECONDS);
        while (true) {
            String line;
            try {
                line = lines.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClientException("interrupted while waiting for the answer to " + cmd);
            }
            if (line == null) {
                if (eof && lines.isEmpty()) {
                    throw died("before answering " + cmd);
                }
                if (System.nanoTime() > deadline) {
                    throw new ClientException(
                            "the client did not answer '" + cmd + "' within " + ANSWER_TIMEOUT_SECONDS + " s");
                }
                continue;
            }
            remember("< " + line);
            JsonNode answer;
            try {
                answer = JSON.readTree(line);
            } catch (IOException e) {
                throw new ClientException(
                        "the client answered '" + cmd + "' with a line that is not JSON: " + abbreviate(line));
            }
            if (answer == null || !answer.isObject()) {
                throw new ClientException("the client answered '" + cmd + "' with something other than a JSON object: "
                        + abbreviate(line));
            }
            if (answer.path("id").asInt(-1) != id) {
                throw new ClientException("the client answered '" + cmd + "' (id " + id + ") with id "
                        + answer.path("id") + ": " + abbreviate(line));
            }
            return answer;
        }
    }

    /** Sends {@code cmd} and returns at once: its answer is never read (the kit kills the process meanwhile). */
    void sendWithoutWaiting(String cmd) throws ClientException {
        ObjectNode request = JSON.createObjectNode().put("id", nextId++).put("cmd", cmd);
        remember("> " + request);
        try {
            stdin.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw died("while sending " + cmd);
        }
    }

    /** Ends the process and everything it started at once (SIGKILL), as the OS kills an app. */
    void killHard() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private ClientException died(String when) {
        String code = "";
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                code = " (exit code " + process.exitValue() + ")";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new ClientException("the client exited" + code + " " + when + "; its standard error is in " + stderrLog);
    }

    private void remember(String line) {
        transcript.addLast(abbreviate(line));
        while (transcript.size() > 12) {
            transcript.removeFirst();
        }
    }

    /** The last requests and answers, for a failure's details. */
    List<String> transcript() {
        return List.copyOf(transcript);
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + "…";
    }

    /** Closes the client's input (its signal to exit), then ends it if it does not go within two seconds. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The client broke the protocol or went away: the scenario is an error, not a failure of a rule. */
    static final class ClientException extends Exception {
        private static final long serialVersionUID = 1L;

        ClientException(String message) {
            super(message);
        }
    }
}
