package dev.updraft.server.web;

import java.util.regex.Pattern;

/** Shape rules for identifiers shared by the device and admin APIs. */
public final class Ids {
    /** Reverse-domain app ids, as the Capgo backend and the admin API contract require. */
    private static final Pattern APP_ID = Pattern.compile("^[a-z0-9]+(\\.[\\w-]+)+$", Pattern.CASE_INSENSITIVE);

    public static final int MAX_APP_ID = 255;

    private Ids() {}

    /** PostgreSQL cannot store NUL in text: such input is refused before it reaches the database. */
    public static boolean hasNul(String s) {
        return s != null && s.indexOf('\0') >= 0;
    }

    public static boolean isAppId(String s) {
        return s != null && s.length() <= MAX_APP_ID && APP_ID.matcher(s).matches();
    }
}
