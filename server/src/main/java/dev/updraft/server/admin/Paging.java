package dev.updraft.server.admin;

import dev.updraft.server.config.UpdraftConfig;
import dev.updraft.server.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.hibernate.Session;
import org.hibernate.query.SelectionQuery;

/**
 * The one paging style of every admin API list (docs/admin-api.md, "Lists and paging"): {@code limit} (1 to
 * {@code updraft.paging.max-limit}, default {@code updraft.paging.default-limit}) and {@code cursor}, the previous
 * page's {@code next_cursor} passed back unchanged. A cursor is a keyset position: the sort key of the last entry of
 * the previous page, so each page starts right after it, and an entry that existed when the listing began is
 * shown exactly once however many entries are inserted or deleted meanwhile. Cursors are opaque to clients and
 * name their list, so one list's cursor is refused by another.
 */
@ApplicationScoped
public class Paging {
    static final int MAX_CURSOR_LENGTH = 1024;
    static final int MAX_TEXT_KEY = 255;
    private static final String FORMAT = "u1";
    private static final char SEPARATOR = '|';

    /** What each part of a list's position is. */
    enum Key {
        TEXT,
        NUMBER,
        TIME
    }

    @Inject
    UpdraftConfig config;

    /**
     * The checked {@code limit} and {@code cursor} of a request for {@code list}, whose positions are {@code keys};
     * either one bad is {@code 400 validation_failed} naming it.
     */
    Request request(String list, String limit, String cursor, Key... keys) {
        int max = config.paging().maxLimit();
        List<ApiException.Detail> problems = new ArrayList<>();
        int n = Math.min(config.paging().defaultLimit(), max);
        if (limit != null && !limit.isEmpty()) {
            n = parseLimit(limit, max);
            if (n < 0) {
                problems.add(new ApiException.Detail("limit", "must be a whole number from 1 to " + max));
            }
        }
        List<String> after = null;
        if (cursor != null && !cursor.isEmpty()) {
            after = decode(list, cursor, keys);
            if (after == null) {
                problems.add(new ApiException.Detail(
                        "cursor", "is not a cursor of this list: pass the next_cursor of the previous page unchanged"));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.validation(problems);
        }
        return new Request(list, n, List.of(keys), after);
    }

    private static int parseLimit(String text, int max) {
        if (text.length() > 6 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int n = Integer.parseInt(text);
        return n >= 1 && n <= max ? n : -1;
    }

    /** The parts of a cursor of {@code list}, each valid for its key; {@code null} for anything else. */
    static List<String> decode(String list, String cursor, Key... keys) {
        if (cursor.length() > MAX_CURSOR_LENGTH) {
            return null;
        }
        String text;
        try {
            byte[] raw = Base64.getUrlDecoder().decode(cursor);
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
        // The last part takes the rest, so a text key may hold the separator.
        String[] parts = text.split("\\" + SEPARATOR, keys.length + 2);
        if (parts.length != keys.length + 2 || !parts[0].equals(FORMAT) || !parts[1].equals(list)) {
            return null;
        }
        List<String> after = new ArrayList<>(keys.length);
        for (int i = 0; i < keys.length; i++) {
            String part = parts[i + 2];
            if (!valid(keys[i], part)) {
                return null;
            }
            after.add(part);
        }
        return after;
    }

    private static boolean valid(Key key, String part) {
        return switch (key) {
            case TEXT -> !part.isEmpty() && part.length() <= MAX_TEXT_KEY && part.indexOf('\0') < 0;
            case NUMBER ->
                part.length() <= 19
                        && !part.isEmpty()
                        && part.chars().allMatch(c -> c >= '0' && c <= '9')
                        && parsesAsLong(part);
            case TIME -> parsesAsInstant(part);
        };
    }

    private static boolean parsesAsLong(String s) {
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean parsesAsInstant(String s) {
        try {
            Instant.parse(s);
            return s.length() <= 40;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    static String encode(String list, List<String> position) {
        StringBuilder text = new StringBuilder(FORMAT).append(SEPARATOR).append(list);
        position.forEach(p -> text.append(SEPARATOR).append(p));
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A checked page request: how many entries, and after which position ({@code null}: from the start). */
    record Request(String list, int limit, List<Key> keys, List<String> after) {
        boolean first() {
            return after == null;
        }

        /**
         * The query of a list with a one-part position: {@code from <entity> where <filter> and <after> order by
         * <order>}, where {@code after} (a condition on {@code :after}, the cursor's key) is left out on the first
         * page; at most {@link #fetch()} rows. The caller binds the filter's own parameters.
         */
        <E> SelectionQuery<E> query(Session s, Class<E> entity, String filter, String after, String order) {
            List<String> where = new ArrayList<>();
            if (filter != null) {
                where.add(filter);
            }
            if (!first()) {
                where.add(after);
            }
            String hql = "from " + entity.getSimpleName()
                    + (where.isEmpty() ? "" : " where " + String.join(" and ", where)) + " order by " + order;
            SelectionQuery<E> query = s.createSelectionQuery(hql, entity).setMaxResults(fetch());
            if (!first()) {
                query.setParameter("after", keys.get(0) == Key.NUMBER ? (Object) number(0) : text(0));
            }
            return query;
        }

        String text(int i) {
            return after.get(i);
        }

        long number(int i) {
            return Long.parseLong(after.get(i));
        }

        Instant time(int i) {
            return Instant.parse(after.get(i));
        }

        /** How many rows to fetch: one more than the page holds, to know whether another page follows. */
        int fetch() {
            return limit + 1;
        }

        /**
         * The page of {@code rows} (fetched with {@link #fetch()}, in the list's order), and the cursor after its last
         * entry when more rows follow.
         */
        <E, T> Page<T> page(List<E> rows, Function<List<E>, List<T>> dtos, Function<E, List<String>> position) {
            boolean more = rows.size() > limit;
            List<E> shown = more ? rows.subList(0, limit) : rows;
            return new Page<>(dtos.apply(shown), more ? cursor(position.apply(shown.get(shown.size() - 1))) : null);
        }

        String cursor(List<String> position) {
            return encode(list, position);
        }
    }

    /** Converts each row on its own (for {@link Request#page}). */
    static <E, T> Function<List<E>, List<T>> each(Function<E, T> dto) {
        return rows -> rows.stream().map(dto).toList();
    }
}
