package dev.updraft.sim;

/**
 * One bundle download.
 *
 * @param version      the version downloaded
 * @param networkBytes bytes received from the network (not counting a partial file resumed from)
 * @param size         the file's size when complete
 * @param durationMs   wall-clock time of the transfer and verification
 * @param attempts     HTTP attempts (retries included)
 * @param resumedFrom  the offset a resumed download started at (0: from the start)
 * @param result       {@code ok}, a failure ({@code http_404}, {@code retries_exhausted}, {@code size_mismatch}) or
 *                     the stat of a verification failure ({@code checksum_fail}, ...)
 */
public record DownloadRecord(String version, long networkBytes, long size, long durationMs, int attempts, long resumedFrom, String result) {
}
