package dev.updraft.server.storage;

import dev.updraft.protocol.Identifier;
import dev.updraft.server.web.ApiException;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /files/{app_id}/{file}}: the device download of a stored bundle (docs/protocol.md, "Stored bundles"),
 * public like the rest of the device API (a name is the SHA-256 of the bytes, so it cannot be guessed), with one
 * byte range ({@code Range: bytes=a-b}, {@code a-}, {@code -n}) for resumed downloads. Only for the files-on-disk
 * storage: with {@code updraft.storage.kind=s3} every name is 404 here (docs/operations.md, "Bundle storage").
 */
@Path("/files/{app_id}/{file}")
@PermitAll
public class BundleFilesResource {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    @Inject
    BundleStorage storage;

    @GET
    public Response get(
            @PathParam("app_id") String appId, @PathParam("file") String file, @HeaderParam("Range") String range)
            throws IOException {
        String name = appId + "/" + file;
        // With the bucket as storage devices download from it, and this public route never reaches into it.
        if (!storage.servedByServer() || Identifier.APP_ID.problem(appId).isPresent() || !storage.exists(name)) {
            throw ApiException.notFound("file_not_found", "No stored bundle file with this name");
        }
        long size = storage.size(name);
        if (range == null || range.isBlank()) {
            return Response.ok(storage.open(name, 0, size), "application/zip")
                    .header("Accept-Ranges", "bytes")
                    .header("Content-Length", size)
                    .build();
        }
        Matcher m = RANGE.matcher(range.strip());
        long first;
        long last;
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return unsatisfiable(size);
        }
        try {
            if (m.group(1).isEmpty()) { // the last n bytes
                long n = Long.parseLong(m.group(2));
                first = Math.max(0, size - n);
                last = size - 1;
                if (n == 0) {
                    return unsatisfiable(size);
                }
            } else {
                first = Long.parseLong(m.group(1));
                last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            }
        } catch (NumberFormatException tooLong) {
            return unsatisfiable(size);
        }
        if (first >= size || last < first) {
            return unsatisfiable(size);
        }
        long length = last - first + 1;
        return Response.status(206)
                .entity(storage.open(name, first, length))
                .type("application/zip")
                .header("Accept-Ranges", "bytes")
                .header("Content-Range", "bytes " + first + "-" + last + "/" + size)
                .header("Content-Length", length)
                .build();
    }

    private static Response unsatisfiable(long size) {
        throw new ApiException(
                416,
                "range_not_satisfiable",
                "The Range is not a single byte range within the file's " + size + " bytes");
    }
}
