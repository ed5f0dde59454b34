package dev.updraft.protocol;

/**
 * One file of a delta (manifest) update: {@code {file_name, file_hash, download_url}}. {@code file_name} ends in
 * {@code .br} for a Brotli payload; {@code file_hash} is the SHA-256 of the final plain file (the 512-hex signed form
 * when the bundle is encrypted).
 */
public record ManifestEntry(String fileName, String fileHash, String downloadUrl) {
    /** Suffix of a Brotli payload's {@code file_name}; the file is stored without it. */
    public static final String BROTLI_SUFFIX = ".br";

    /**
     * The plugin's path rules for a {@code file_name} (docs/protocol.md §8.3): relative, {@code /}-separated, no empty
     * or {@code ..} segment, no backslash or NUL, at most 1024 characters.
     */
    public static boolean isSafeFileName(String name) {
        if (name == null
                || name.isEmpty()
                || name.startsWith("/")
                || name.indexOf('\\') >= 0
                || name.indexOf('\0') >= 0
                || name.length() > 1024) {
            return false;
        }
        for (String seg : name.split("/", -1)) {
            // "." too: the plugin installs only strict children of the bundle folder (docs/protocol.md §8.3)
            if (seg.equals("..") || seg.equals(".") || seg.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    JsonOut write(JsonOut o) {
        return o.beginObject()
                .field("file_name", fileName)
                .field("file_hash", fileHash)
                .field("download_url", downloadUrl)
                .endObject();
    }
}
