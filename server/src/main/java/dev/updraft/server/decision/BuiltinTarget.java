package dev.updraft.server.decision;

import java.util.Locale;

/**
 * What a channel that points at the built-in bundle answers a device running a downloaded bundle (docs/protocol.md
 * §2.9, rule 18). A device already on its built-in bundle gets {@code already_on_builtin} either way.
 */
public enum BuiltinTarget {
    /**
     * {@code {"version":"builtin"}}: the device goes back to the web assets shipped in the app (plugins from 6.2.0;
     * older ones get {@code revert_to_builtin_plugin_version_too_old}). Updraft's default: pointing a channel at the
     * built-in bundle is how an operator rolls every device back to what the store build shipped.
     */
    RESET,
    /**
     * {@code already_on_builtin} (kind {@code up_to_date}), as the Capgo cloud answers for its native-target channels:
     * the device keeps the bundle it runs. For a channel that should stop live updates without undoing them.
     */
    KEEP;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value for a wire name, or {@code null}. */
    public static BuiltinTarget of(String s) {
        for (BuiltinTarget t : values()) {
            if (t.wire().equals(s)) {
                return t;
            }
        }
        return null;
    }
}
