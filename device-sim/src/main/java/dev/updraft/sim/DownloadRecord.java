package dev.updraft.sim;

/**
 * One bundle download.
 *
 * @param version      the version downloaded
 * @param kind         {@code zip}, or {@code manifest} for a delta download (§7.4)
 * @param networkBytes bytes received from the network (not counting a partial file resumed from)
 * @param size         the file's size when complete
 * @param durationMs   wall-clock time of the transfer and verification
 * @param attempts     HTTP attempts (retries included)
 * @param resumedFrom  the offset a resumed download started at (0: from the start)
 * @param result       {@code ok}, a failure ({@code http_404}, {@code retries_exhausted}, {@code size_mismatch}) or
 *                     the stat of a verification failure ({@code checksum_fail}, {@code download_manifest_checksum_fail}, ...)
 * @param filesFetched for a delta download, the payloads fetched from the network (1 for a zip)
 * @param filesReused  for a delta download, the files taken from the built-in assets or the cache (0 for a zip)
 */
public record DownloadRecord(
        String version,
        String kind,
        long networkBytes,
        long size,
        long durationMs,
        int attempts,
        long resumedFrom,
        String result,
        int filesFetched,
        int filesReused) {
    public static final String ZIP = "zip";
    public static final String MANIFEST = "manifest";
}
