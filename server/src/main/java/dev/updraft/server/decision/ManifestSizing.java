package dev.updraft.server.decision;

import dev.updraft.protocol.ManifestEntry;
import dev.updraft.protocol.ManifestSize;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer of {@code POST /updates/manifest_size} (docs/protocol.md §2.8): the bytes a device would download for
 * the entries it names, exact to the byte (each payload's size as stored), over the app's immutable snapshot. One
 * numbered rule per line, first match wins, for each entry:
 * <ol>
 *   <li>no channel of the app serves a bundle of that {@code version}: {@code unknown_version};</li>
 *   <li>the {@code file_name} breaks the plugin's path rules: {@code invalid_file_name};</li>
 *   <li>the bundle's manifest has no entry with this {@code file_name} and {@code file_hash}: {@code not_in_manifest};</li>
 *   <li>the entry was registered without a size: {@code size_unknown};</li>
 *   <li>otherwise its size, counted in {@code totalSize}.</li>
 * </ol>
 */
public final class ManifestSizing {
    public static final String UNKNOWN_VERSION = "unknown_version";
    public static final String INVALID_FILE_NAME = "invalid_file_name";
    public static final String NOT_IN_MANIFEST = "not_in_manifest";
    public static final String SIZE_UNKNOWN = "size_unknown";

    private ManifestSizing() {}

    public static ManifestSize answer(AppSnapshot app, ManifestSize.Request request) {
        BundleView bundle = served(app, request.version());
        List<ManifestSize.FileSize> files = new ArrayList<>(request.manifest().size());
        long total = 0;
        int known = 0;
        for (ManifestEntry e : request.manifest()) {
            String error;
            Long size = null;
            if (bundle == null) {
                error = UNKNOWN_VERSION; // 1
            } else if (!ManifestEntry.isSafeFileName(e.fileName())) {
                error = INVALID_FILE_NAME; // 2
            } else {
                Long stored = bundle.payloadSizes().get(BundleView.sizeKey(e.fileName(), e.fileHash()));
                if (stored == null) {
                    error = NOT_IN_MANIFEST; // 3
                } else if (stored == BundleView.SIZE_UNKNOWN) {
                    error = SIZE_UNKNOWN; // 4
                } else {
                    size = stored; // 5
                    error = null;
                }
            }
            if (size != null) {
                total += size;
                known++;
            }
            files.add(new ManifestSize.FileSize(e.fileName(), e.fileHash(), e.downloadUrl(), size, error));
        }
        return new ManifestSize(total, known, files.size() - known, files);
    }

    /** The bundle of that version that a channel of the app serves (as its bundle or its rollout), or null. */
    static BundleView served(AppSnapshot app, String version) {
        for (ChannelView c : app.channels()) {
            if (c.bundle() != null && c.bundle().version().equals(version)) {
                return c.bundle();
            }
            if (c.rollout() != null && c.rollout().bundle().version().equals(version)) {
                return c.rollout().bundle();
            }
        }
        return null;
    }
}
