package dev.updraft.crypto.zip;

import dev.updraft.protocol.StatsAction;
import java.io.IOException;
import java.util.Optional;

/**
 * A build folder could not be zipped, or a bundle zip was refused on extraction. {@link #failure()} says why;
 * {@link Failure#code()} is the stable machine-readable name (the Capgo CLI's error codes for zipping), and
 * {@link Failure#pluginStat()} what the plugin reports for an extraction failure (docs/protocol.md §3.3).
 */
public final class BundleArchiveException extends IOException {

    /** Why zipping or unzipping was refused. */
    public enum Failure {
        // zipping a build folder (the Capgo CLI's codes)
        NOT_A_DIRECTORY("not_a_directory", null),
        INDEX_HTML_NOT_FOUND("index_html_not_found", null),
        NOTIFY_APP_READY_NOT_FOUND("notifyAppReady_not_in_source_code", null),
        LINK_IN_BUILD_FOLDER("link_in_build_folder", null),
        // unzipping a bundle (the plugin's stat for each, where it has one)
        NOT_A_ZIP("not_a_zip", StatsAction.UNZIP_FAIL),
        TARGET_NOT_EMPTY("target_not_empty", StatsAction.UNZIP_FAIL),
        EMPTY_NAME("empty_entry_name", StatsAction.UNZIP_FAIL),
        WINDOWS_PATH("windows_path", StatsAction.WINDOWS_PATH_FAIL),
        PATH_TRAVERSAL("path_traversal", StatsAction.CANONICAL_PATH_FAIL),
        ABSOLUTE_PATH("absolute_path", StatsAction.CANONICAL_PATH_FAIL),
        CANONICAL_PATH("canonical_path", StatsAction.CANONICAL_PATH_FAIL),
        SYMLINK_ENTRY("symlink_entry", StatsAction.UNZIP_FAIL),
        DUPLICATE_ENTRY("duplicate_entry", StatsAction.UNZIP_FAIL),
        TOO_MANY_ENTRIES("too_many_entries", StatsAction.UNZIP_FAIL),
        TOO_LARGE("uncompressed_size_limit", StatsAction.UNZIP_FAIL),
        COMPRESSION_RATIO("compression_ratio_limit", StatsAction.UNZIP_FAIL);

        private final String code;
        private final StatsAction pluginStat;

        Failure(String code, StatsAction pluginStat) {
            this.code = code;
            this.pluginStat = pluginStat;
        }

        /** Stable machine-readable code, e.g. for {@code --json} errors. */
        public String code() {
            return code;
        }

        /** The stat the plugin sends before {@code download_fail} for this extraction failure; empty for zipping failures. */
        public Optional<StatsAction> pluginStat() {
            return Optional.ofNullable(pluginStat);
        }
    }

    private final Failure failure;

    public BundleArchiveException(Failure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public BundleArchiveException(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
