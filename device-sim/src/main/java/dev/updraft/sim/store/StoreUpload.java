package dev.updraft.sim.store;

import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * PUT: the body goes to a temporary file beside the target; then, under one lock, the target is created by an atomic
 * rename only if it does not exist yet. An existing object is never replaced, so a device that is downloading it (or
 * will) always gets the bytes that were published (device-sim/README.md, "store"). Every file call runs off the event
 * loop.
 */
final class StoreUpload {
    /** Uploads in progress: never served, never a target. */
    static final String TEMPORARY_PREFIX = ".upload-";

    /** How a PUT ended; decided under {@link #commitLock}, so two uploads to one path never both win. */
    private enum Commit {
        /** The object did not exist and now holds the uploaded bytes. */
        CREATED,
        /** The object already held exactly these bytes: nothing changed. */
        IDENTICAL,
        /** The object exists and the request said {@code If-None-Match: *}. */
        EXISTS_PRECONDITION,
        /** The object exists with other bytes: it is never replaced. */
        EXISTS_OTHER_BYTES
    }

    private final Vertx vertx;
    private final Path root;
    private final Path realRoot;
    private final StoreReplies replies;
    private final Object commitLock = new Object();

    StoreUpload(Vertx vertx, Path root, Path realRoot, StoreReplies replies) {
        this.vertx = vertx;
        this.root = root;
        this.realRoot = realRoot;
        this.replies = replies;
    }

    /** Whether a relative path names an upload in progress. */
    static boolean isTemporary(String rel) {
        int slash = rel.lastIndexOf('/');
        return rel.substring(slash + 1).startsWith(TEMPORARY_PREFIX);
    }

    void handle(HttpServerRequest req) {
        if (!replies.hasToken()) {
            replies.error(req, 403, "uploads_disabled", "this store was started without an upload token", null);
            return;
        }
        if (!replies.authorized(req)) {
            req.response().putHeader("WWW-Authenticate", "Bearer");
            replies.error(req, 401, "unauthorized", "PUT needs Authorization: Bearer <upload token>", null);
            return;
        }
        String rel = StorePaths.safeRelative(req.path());
        if (rel == null || rel.isEmpty() || rel.endsWith("/") || isTemporary(rel)) {
            replies.error(req, 400, "bad_path", "the path is not allowed", null);
            return;
        }
        Path target = root.resolve(rel).normalize();
        String ifNoneMatch = req.getHeader("If-None-Match");
        if (ifNoneMatch != null && !ifNoneMatch.strip().equals("*")) {
            replies.error(req, 400, "unsupported_precondition", "PUT understands If-None-Match: * only", null);
            return;
        }
        boolean onlyIfAbsent = ifNoneMatch != null;
        req.pause();
        vertx.<Path>executeBlocking(() -> temporaryFileFor(target)).onComplete(prepared -> {
            if (prepared.failed()) {
                replies.error(
                        req, 500, "io_error", String.valueOf(prepared.cause().getMessage()), null);
                return;
            }
            Path tmp = prepared.result();
            if (tmp == null) {
                replies.error(req, 400, "bad_path", "the path is not allowed", null);
                return;
            }
            vertx.fileSystem()
                    .open(tmp.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
                    .compose(af -> req.pipeTo(af))
                    .compose(v -> vertx.executeBlocking(() -> commit(tmp, target, onlyIfAbsent)))
                    .onSuccess(outcome -> answer(req, outcome))
                    .onFailure(e -> fail(req, tmp, e));
        });
    }

    /** Where the body of an upload to {@code target} is written first, or null when the path may not be written. */
    private Path temporaryFileFor(Path target) throws IOException {
        Path parent = target.getParent();
        Files.createDirectories(parent);
        if (!parent.toRealPath().startsWith(realRoot) || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return parent.resolve(TEMPORARY_PREFIX + UUID.randomUUID() + ".tmp");
    }

    private Commit commit(Path tmp, Path target, boolean onlyIfAbsent) throws IOException {
        try {
            try (FileChannel written = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                written.force(true); // on disk before it gets its name
            }
            synchronized (commitLock) {
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    if (onlyIfAbsent) {
                        return Commit.EXISTS_PRECONDITION;
                    }
                    boolean same = Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                            && Files.mismatch(tmp, target) == -1L;
                    return same ? Commit.IDENTICAL : Commit.EXISTS_OTHER_BYTES;
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                return Commit.CREATED;
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void answer(HttpServerRequest req, Commit outcome) {
        switch (outcome) {
            case CREATED -> {
                replies.log().record(req, 201, null);
                req.response().setStatusCode(201).end();
            }
            case IDENTICAL -> {
                replies.log().record(req, 200, null);
                req.response().setStatusCode(200).end();
            }
            case EXISTS_PRECONDITION ->
                replies.error(
                        req,
                        412,
                        "precondition_failed",
                        "an object already exists at " + req.path() + " (If-None-Match: *); it was not replaced",
                        null);
            default ->
                replies.error(
                        req,
                        409,
                        "object_exists",
                        req.path()
                                + " already holds other bytes; the store never replaces an object: upload under a new name",
                        null);
        }
    }

    private void fail(HttpServerRequest req, Path tmp, Throwable e) {
        vertx.executeBlocking(() -> Files.deleteIfExists(tmp)).onComplete(deleted -> {
            if (!req.response().ended() && !req.response().closed()) {
                replies.error(req, 500, "io_error", String.valueOf(e.getMessage()), null);
            }
        });
    }
}
