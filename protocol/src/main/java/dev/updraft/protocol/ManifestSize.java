package dev.updraft.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The answer of the optional {@code POST <updateUrl>/manifest_size} (docs/protocol.md §2.8):
 * {@code {totalSize, knownFiles, unknownFiles, files:[{file_name, file_hash, download_url[, size][, error]}]}}. The
 * plugin calls it only for JavaScript {@code getLatest({includeBundleSize:true})}; on any failure it builds the same
 * shape itself with {@code error:"response_error"} on each file.
 */
public record ManifestSize(long totalSize, int knownFiles, int unknownFiles, List<FileSize> files) {

    /**
     * One file.
     *
     * @param size  its size in bytes, {@code null} when unknown (then absent)
     * @param error why the size is unknown, {@code null} when known (then absent)
     */
    public record FileSize(String fileName, String fileHash, String downloadUrl, Long size, String error) {}

    /** Most entries one request may name: a bundle has at most 10,000 files (docs/protocol.md §7.2). */
    public static final int MAX_ENTRIES = 10_000;
    /** Longest {@code version} accepted. */
    public static final int MAX_VERSION = 255;

    /**
     * The request: the device's info object, the {@code version} it asks about and the manifest entries to size
     * (those it does not hold yet).
     */
    public record Request(InfoObject info, String version, List<ManifestEntry> manifest) {
        public Request {
            manifest = List.copyOf(manifest);
        }

        /**
         * Parses and checks the shape: the info object as for every device call ({@link InfoObject#parse}),
         * {@code version} a non-empty string, {@code manifest} an array of at most {@link #MAX_ENTRIES} objects whose
         * {@code file_name} and {@code file_hash} are strings ({@code download_url} a string or absent). Whether a
         * name is a safe path, or in the bundle, is the server's per-file answer, not a refusal of the whole body.
         *
         * @throws ProtocolException {@code invalid_json_parse_body} or {@code invalid_json_body}
         */
        public static Request parse(byte[] body) {
            InfoObject info = InfoObject.parse(body);
            Object tree;
            try {
                tree = JsonIn.readTree(body);
            } catch (IOException e) {
                throw new ProtocolException(ProtocolException.INVALID_JSON_PARSE_BODY, "The body is not valid JSON");
            }
            Map<?, ?> object = (Map<?, ?>) tree; // InfoObject.parse accepted only an object
            Object version = object.get("version");
            if (!(version instanceof String v) || v.isEmpty() || v.length() > MAX_VERSION || v.indexOf('\0') >= 0) {
                throw invalid("version is required: the bundle version (a string of at most " + MAX_VERSION
                        + " characters) whose files to size");
            }
            Object manifest = object.get("manifest");
            if (!(manifest instanceof List<?> list)) {
                throw invalid("manifest is required: an array of {file_name, file_hash, download_url}");
            }
            if (list.size() > MAX_ENTRIES) {
                throw invalid("manifest has " + list.size() + " entries; at most " + MAX_ENTRIES);
            }
            List<ManifestEntry> entries = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof Map<?, ?> e)
                        || !(e.get("file_name") instanceof String name)
                        || !(e.get("file_hash") instanceof String hash)
                        || !(e.get("download_url") == null || e.get("download_url") instanceof String)) {
                    throw invalid("manifest[" + i
                            + "] must be an object with the strings file_name, file_hash and download_url");
                }
                String url = (String) e.get("download_url");
                if (name.length() > InfoObject.MAX_STRING
                        || hash.length() > InfoObject.MAX_STRING
                        || (url != null && url.length() > 4 * InfoObject.MAX_STRING)
                        || (name + hash + (url == null ? "" : url)).indexOf('\0') >= 0) {
                    throw invalid("manifest[" + i + "] has a value that is too long or holds NUL");
                }
                entries.add(new ManifestEntry(name, hash, url == null ? "" : url));
            }
            return new Request(info, v, entries);
        }

        private static ProtocolException invalid(String message) {
            return new ProtocolException(ProtocolException.INVALID_JSON_BODY, message);
        }
    }

    public ManifestSize {
        files = files == null ? List.of() : List.copyOf(files);
    }

    public byte[] toJson() {
        JsonOut o = new JsonOut(64 + 160 * files.size())
                .beginObject()
                .field("totalSize", totalSize)
                .field("knownFiles", knownFiles)
                .field("unknownFiles", unknownFiles)
                .name("files")
                .beginArray();
        for (FileSize f : files) {
            o.beginObject()
                    .field("file_name", f.fileName())
                    .field("file_hash", f.fileHash())
                    .field("download_url", f.downloadUrl())
                    .fieldIfPresent("size", f.size())
                    .fieldIfPresent("error", f.error())
                    .endObject();
        }
        return o.endArray().endObject().toBytes();
    }
}
