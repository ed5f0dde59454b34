package dev.updraft.protocol;

/**
 * One file of a delta (manifest) update: {@code {file_name, file_hash, download_url}}. {@code file_name} ends in
 * {@code .br} for a Brotli payload; {@code file_hash} is the SHA-256 of the final plain file (the 512-hex signed form
 * when the bundle is encrypted).
 */
public record ManifestEntry(String fileName, String fileHash, String downloadUrl) {

    JsonOut write(JsonOut o) {
        return o.beginObject().field("file_name", fileName).field("file_hash", fileHash).field("download_url", downloadUrl).endObject();
    }
}
