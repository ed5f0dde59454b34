package dev.updraft.server.release;

import dev.updraft.protocol.StatsAction;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A stage of a release's {@link Funnel} that a device reaches once (docs/operations.md, "Release health"): what
 * {@code release_funnel_devices} records per release and device, under {@link #code()}.
 */
public enum FunnelStage {
    OFFERED("offered"),
    DOWNLOAD_STARTED("download_started"),
    DOWNLOADED("downloaded"),
    INSTALLED("installed"),
    CONFIRMED("confirmed"),
    ROLLED_BACK("rolled_back"),
    FAILED("failed"),
    FAILED_DOWNLOAD("failed_download"),
    FAILED_VERIFY("failed_verify"),
    FAILED_UNZIP("failed_unzip"),
    FAILED_SET("failed_set"),
    FAILED_ROLLBACK("failed_rollback"),
    FAILED_MANIFEST_FILE("failed_manifest_file");

    private final String code;

    FunnelStage(String code) {
        this.code = code;
    }

    /** The value stored in the database (V19 writes the same codes when it backfills). */
    public String code() {
        return code;
    }

    private static final Map<String, FunnelStage> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toMap(FunnelStage::code, s -> s));

    /** The stage stored as {@code code}; empty for one this version does not know. */
    public static Optional<FunnelStage> of(String code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /** The stage of a failure at {@code stage}. */
    public static FunnelStage failedAt(StatsAction.FailureStage stage) {
        return switch (stage) {
            case DOWNLOAD -> FAILED_DOWNLOAD;
            case VERIFY -> FAILED_VERIFY;
            case UNZIP -> FAILED_UNZIP;
            case SET -> FAILED_SET;
            case ROLLBACK -> FAILED_ROLLBACK;
            case MANIFEST_FILE -> FAILED_MANIFEST_FILE;
        };
    }

    /** The stages an event with {@code action} reaches for the release it is about; none for an unknown action. */
    public static Set<FunnelStage> reachedBy(String action) {
        Set<FunnelStage> out = EnumSet.noneOf(FunnelStage.class);
        StatsAction a = StatsAction.of(action).orElse(null);
        if (a == null) {
            return out;
        }
        if (Funnel.DOWNLOAD_STARTED.contains(a)) {
            out.add(DOWNLOAD_STARTED);
        }
        switch (a) {
            case DOWNLOAD_COMPLETE -> out.add(DOWNLOADED);
            case SET -> out.add(INSTALLED);
            case APP_LAUNCH_READY -> out.add(CONFIRMED);
            case UPDATE_FAIL -> out.add(ROLLED_BACK);
            default -> {}
        }
        a.failureStage().ifPresent(stage -> {
            out.add(FAILED);
            out.add(failedAt(stage));
        });
        return out;
    }
}
