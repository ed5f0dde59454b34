package dev.updraft.crypto.zip;

import java.io.IOException;

/**
 * A build folder could not be zipped, or a bundle zip was refused on extraction. {@link #failure()} says why;
 * {@link Failure#code()} is the stable machine-readable name (the Capgo CLI's error codes for zipping, the plugin's
 * stat names where the plugin has one).
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
        NOT_A_ZIP("not_a_zip", "unzip_fail"),
        TARGET_NOT_EMPTY("target_not_empty", "unzip_fail"),
        EMPTY_NAME("empty_entry_name", "unzip_fail"),
        WINDOWS_PATH("windows_path", "windows_path_fail"),
        PATH_TRAVERSAL("path_traversal", "canonical_path_fail"),
        ABSOLUTE_PATH("absolute_path", "canonical_path_fail"),
        CANONICAL_PATH("canonical_path", "canonical_path_fail"),
        SYMLINK_ENTRY("symlink_entry", "unzip_fail"),
        DUPLICATE_ENTRY("duplicate_entry", "unzip_fail"),
        TOO_MANY_ENTRIES("too_many_entries", "unzip_fail"),
        TOO_LARGE("uncompressed_size_limit", "unzip_fail"),
        COMPRESSION_RATIO("compression_ratio_limit", "unzip_fail");

        private final String code;
        private final String pluginStat;

        Failure(String code, String pluginStat) {
            this.code = code;
            this.pluginStat = pluginStat;
        }

        /** Stable machine-readable code, e.g. for {@code --json} errors. */
        public String code() {
            return code;
        }

        /** The stat action the plugin sends for this extraction failure; null for zipping failures. */
        public String pluginStat() {
            return pluginStat;
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
