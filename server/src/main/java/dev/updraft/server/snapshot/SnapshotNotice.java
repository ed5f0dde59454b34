package dev.updraft.server.snapshot;

import dev.updraft.protocol.Identifier;
import java.util.Optional;

/**
 * What one instance tells the others after a committed change (docs/operations.md, "Several instances behind a load
 * balancer"): the payload of a PostgreSQL {@code NOTIFY} on {@link #CHANNEL}, {@code <sender> <kind> <app id>}. The
 * sender lets an instance skip its own notices (it refreshed already, after its commit). Anyone who can connect to the
 * database can send a notice, and a notice only makes an instance reread what the database holds; so one that does not
 * parse is dropped, and a valid one costs one reload.
 */
record SnapshotNotice(String sender, AppChanged.Kind kind, String appId) {
    /** The PostgreSQL channel every instance listens on. */
    static final String CHANNEL = "updraft_snapshot";

    private static final int MAX_SENDER = 64;

    String payload() {
        return sender + " " + kind.name() + " " + appId;
    }

    /** The notice in {@code payload}, or empty: a payload this version did not write is ignored, never guessed at. */
    static Optional<SnapshotNotice> parse(String payload) {
        if (payload == null) {
            return Optional.empty();
        }
        String[] parts = payload.split(" ", -1);
        if (parts.length != 3
                || parts[0].isEmpty()
                || parts[0].length() > MAX_SENDER
                || !parts[0].chars().allMatch(SnapshotNotice::senderChar)
                || !Identifier.APP_ID.matches(parts[2])) {
            return Optional.empty();
        }
        for (AppChanged.Kind k : AppChanged.Kind.values()) {
            if (k.name().equals(parts[1])) {
                return Optional.of(new SnapshotNotice(parts[0], k, parts[2]));
            }
        }
        return Optional.empty();
    }

    private static boolean senderChar(int c) {
        return (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9') || c == '-';
    }
}
