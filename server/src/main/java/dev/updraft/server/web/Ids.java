package dev.updraft.server.web;

import java.util.regex.Pattern;

/** Shape rules for identifiers shared by the device and admin APIs. */
public final class Ids {
    /** Reverse-domain app ids, as the Capgo backend and the admin API contract require. */
    private static final Pattern APP_ID = Pattern.compile("^[a-z0-9]+(\\.[\\w-]+)+$", Pattern.CASE_INSENSITIVE);
    public static final int MAX_APP_ID = 255;
    public static final int MAX_DEVICE_ID = 64;

    private Ids() {
    }

    /** PostgreSQL cannot store NUL in text: such input is refused before it reaches the database. */
    public static boolean hasNul(String s) {
        return s != null && s.indexOf('\0') >= 0;
    }

    public static boolean isAppId(String s) {
        return s != null && s.length() <= MAX_APP_ID && APP_ID.matcher(s).matches();
    }

    /** Plugins send a lowercase UUID; other clients may send any printable id up to 64 characters. */
    public static boolean isDeviceId(String s) {
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
}
