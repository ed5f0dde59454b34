package dev.updraft.protocol;

import java.util.List;

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
    public record FileSize(String fileName, String fileHash, String downloadUrl, Long size, String error) {
    }

    public ManifestSize {
        files = files == null ? List.of() : List.copyOf(files);
    }

    public byte[] toJson() {
        JsonOut o = new JsonOut(64 + 160 * files.size()).beginObject().field("totalSize", totalSize).field("knownFiles", knownFiles)
                .field("unknownFiles", unknownFiles).name("files").beginArray();
        for (FileSize f : files) {
            o.beginObject().field("file_name", f.fileName()).field("file_hash", f.fileHash()).field("download_url", f.downloadUrl())
                    .fieldIfPresent("size", f.size()).fieldIfPresent("error", f.error()).endObject();
        }
        return o.endArray().endObject().toBytes();
    }
}
