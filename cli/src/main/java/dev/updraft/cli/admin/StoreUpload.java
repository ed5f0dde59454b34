package dev.updraft.cli.admin;

import dev.updraft.cli.CliException;
import dev.updraft.cli.ExitCode;
import dev.updraft.cli.Progress;
import dev.updraft.crypto.ProgressListener;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Puts a file on the company's store without ever replacing what is there: a {@code HEAD} first (for stores that
 * ignore preconditions), then {@code PUT} with {@code If-None-Match: *}. An object already at the URL counts as
 * uploaded only if its bytes hash to the file's SHA-256 (a {@code GET}, compared as it streams); anything else is a
 * refusal, and the object stays as it was.
 */
final class StoreUpload {
    /** How the file got onto the store. */
    enum Outcome {
        /** This upload created the object. */
        CREATED,
        /** The object was already there with exactly these bytes. */
        IDENTICAL,
        /**
         * A content-addressed object (a delta payload) was already there with this size: its name is derived from the
         * file's hash, so it is not downloaded again to compare.
         */
        PRESENT
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(30);

    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    /** @param token the bearer token for the store, or null */
    StoreUpload(String token) {
        this.token = token;
    }

    Outcome put(URI url, Path file, String sha256, long size, Publisher.Output out) {
        int head = send(
                        url,
                        request(url, CHECK_TIMEOUT).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
        if (head / 100 == 2) {
            return alreadyThere(url, sha256);
        }
        try (Progress progress = out.progress("Uploading", size)) {
            return upload(url, file, sha256, size, "application/zip", progress);
        }
    }

    /**
     * Puts one delta payload at its content-addressed URL, unless the store already holds an object of its size
     * there ({@link Outcome#PRESENT}: the name comes from the file's hash, so only the same file can be there). An
     * object of another size is compared byte for byte, and refused unless identical, like a zip.
     */
    Outcome putPayload(URI url, Path file, String sha256, long size) {
        HttpResponse<Void> head = send(
                url,
                request(url, CHECK_TIMEOUT).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.discarding());
        if (head.statusCode() / 100 == 2) {
            long stored = head.headers().firstValueAsLong("Content-Length").orElse(-1);
            return stored == size ? Outcome.PRESENT : alreadyThere(url, sha256);
        }
        return upload(url, file, sha256, size, "application/octet-stream", ProgressListener.NONE);
    }

    private Outcome upload(
            URI url, Path file, String sha256, long size, String contentType, ProgressListener progress) {
        HttpRequest.Builder put = request(url, UPLOAD_TIMEOUT)
                .header("Content-Type", contentType)
                .header("If-None-Match", "*")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> counting(file, progress)), size));
        int status = send(url, put, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 == 2) {
            return Outcome.CREATED;
        }
        if (status == 412 || status == 409) { // someone else's object got there first
            return alreadyThere(url, sha256);
        }
        int exit = status == 401 || status == 403
                ? ExitCode.AUTH
                : status >= 500 ? ExitCode.UNREACHABLE : ExitCode.REFUSED;
        throw new CliException(
                exit,
                "store_refused",
                "the store refused the upload to " + url + " (HTTP " + status + ")"
                        + (status == 401 || status == 403 ? ": check --upload-token / UPDRAFT_UPLOAD_TOKEN" : "")
                        + "; nothing was registered");
    }

    /** {@link Outcome#IDENTICAL} when the object at {@code url} has exactly the file's bytes; otherwise a refusal. */
    private Outcome alreadyThere(URI url, String sha256) {
        HttpResponse<InputStream> got =
                send(url, request(url, CHECK_TIMEOUT).GET(), HttpResponse.BodyHandlers.ofInputStream());
        String stored = null;
        try (InputStream body = got.body()) {
            if (got.statusCode() == 200) {
                MessageDigest sha = Publisher.sha256();
                try (InputStream in = new DigestInputStream(body, sha)) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
                stored = HexFormat.of().formatHex(sha.digest());
            }
        } catch (IOException e) {
            throw unreachable(url, e);
        }
        if (sha256.equals(stored)) {
            return Outcome.IDENTICAL;
        }
        throw new CliException(
                ExitCode.REFUSED,
                "store_object_exists",
                "the store already holds other bytes at " + url
                        + "; they were not replaced, and nothing was registered: publish under a new URL (--upload-to names each file by its SHA-256)");
    }

    private HttpRequest.Builder request(URI url, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private <T> HttpResponse<T> send(URI url, HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request.build(), handler);
        } catch (IOException e) {
            throw unreachable(url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(
                    ExitCode.UNREACHABLE, "store_unreachable", "the upload to " + url + " was interrupted");
        }
    }

    private static CliException unreachable(URI url, IOException e) {
        return new CliException(
                ExitCode.UNREACHABLE,
                "store_unreachable",
                "cannot upload to " + url + ": "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                        + "; nothing was registered");
    }

    private static InputStream counting(Path file, ProgressListener progress) {
        try {
            return new FilterInputStream(Files.newInputStream(file)) {
                private long done;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        done += n;
                        progress.advanced(done);
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
