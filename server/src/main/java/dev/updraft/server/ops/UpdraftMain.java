package dev.updraft.server.ops;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.quarkus.scheduler.Scheduler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The server's entry point: a failed start ends with one line on stderr and exit code 1, not a stack trace
 * (docs/operations.md, "Start-up errors"). Quarkus hands the failure to the exit handler instead of logging it;
 * {@link StartupFailure} words it.
 *
 * <p>While starting, stderr is held back: when the configuration is refused before logging is set up, Quarkus replays
 * the records queued so far (Hibernate's version banner, ...) to a plain console handler on stderr. On success the held
 * output is written out; on failure it is dropped, unless {@code UPDRAFT_STARTUP_TRACE=true} asks for everything.
 */
@QuarkusMain
public final class UpdraftMain {
    static final String TRACE_ENV = "UPDRAFT_STARTUP_TRACE";

    private static final PrintStream STDERR = System.err;
    private static final ByteArrayOutputStream HELD = new ByteArrayOutputStream();

    private UpdraftMain() {}

    public static void main(String... args) {
        System.setErr(new PrintStream(HELD, true, StandardCharsets.UTF_8));
        EmbeddedDatabase.startWhenPlanned();
        Quarkus.run(Server.class, UpdraftMain::exit, args);
    }

    private static void exit(int code, Throwable failure) {
        if (failure != null) {
            // a start that failed after the embedded PostgreSQL came up (a port in use, ...) must not leave it running
            EmbeddedDatabase.stopRunning();
            boolean trace = "true".equalsIgnoreCase(System.getenv(TRACE_ENV));
            restoreStderr(trace);
            STDERR.println("updraft server: " + StartupFailure.describe(failure));
            if (trace) {
                failure.printStackTrace(STDERR);
            }
            STDERR.flush();
            System.exit(code == 0 ? 1 : code);
        }
        restoreStderr(true);
        System.exit(code);
    }

    private static synchronized void restoreStderr(boolean writeHeld) {
        if (System.err != STDERR) {
            System.err.flush();
            System.setErr(STDERR);
            if (writeHeld) {
                STDERR.write(HELD.toByteArray(), 0, HELD.size());
            }
            HELD.reset();
        }
    }

    /**
     * Runs until Quarkus is asked to stop (SIGTERM, Ctrl-C); called only once both ports listen. With
     * {@code --import-h2 <file>} it copies that first-wave H2 database into its PostgreSQL instead, and exits.
     */
    public static final class Server implements QuarkusApplication {
        @Override
        public int run(String... args) {
            restoreStderr(true);
            if (args.length > 0 && args[0].startsWith("--import-h2")) {
                return importH2(args);
            }
            // quarkus.scheduler.start-mode=halted: polls and flushes begin now, not while a failing start shuts down.
            Arc.container().instance(Scheduler.class).get().resume();
            Quarkus.waitForExit();
            return 0;
        }

        private static int importH2(String... args) {
            String file = args[0].startsWith("--import-h2=")
                    ? args[0].substring("--import-h2=".length())
                    : args.length > 1 ? args[1] : "";
            if (file.isBlank()) {
                STDERR.println(
                        "updraft server: --import-h2 needs the H2 database file (updraft.mv.db in the old data folder)");
                return 2;
            }
            try {
                var copied = H2Import.run(
                        java.nio.file.Path.of(file),
                        Arc.container()
                                .instance(io.agroal.api.AgroalDataSource.class)
                                .get());
                System.out.println("updraft server: imported " + file + ": " + H2Import.summary(copied));
                return 0;
            } catch (StartupProblem e) {
                STDERR.println("updraft server: " + e.getMessage());
                return 1;
            }
        }
    }
}
