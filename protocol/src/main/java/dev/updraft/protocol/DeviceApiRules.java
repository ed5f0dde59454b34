package dev.updraft.protocol;

/**
 * Rules of the device API that are looser today than the identifier patterns of {@link Identifier}, kept in one place
 * so that tightening them is one change. The plugin always sends a lowercase UUID as {@code device_id}
 * ({@link Identifier#DEVICE_ID}); the device API still accepts any printable id, which other clients (and tests of
 * older releases) send.
 */
public final class DeviceApiRules {
    /** Longest {@code device_id} the device API accepts today. */
    public static final int MAX_DEVICE_ID = 64;
    /** The rule for messages: what a {@code device_id} must be today. */
    public static final String DEVICE_ID_RULE = "1 to 64 printable ASCII characters";

    private DeviceApiRules() {
    }

    /** The device API's current rule for {@code device_id}: 1 to 64 printable ASCII characters (no space). */
    public static boolean acceptsDeviceId(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_DEVICE_ID) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** PostgreSQL cannot store NUL in text, so the device API refuses it in every string it would store. */
    static boolean hasNul(String s) {
        return s != null && s.indexOf('\0') >= 0;
    }
}
