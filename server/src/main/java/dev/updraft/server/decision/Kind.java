package dev.updraft.server.decision;

/** The plugin's three classes of "no update" answer; anything else counts as {@code failed} on the device. */
public enum Kind {
    UP_TO_DATE("up_to_date"), BLOCKED("blocked"), FAILED("failed");

    public final String wire;

    Kind(String wire) {
        this.wire = wire;
    }
}
