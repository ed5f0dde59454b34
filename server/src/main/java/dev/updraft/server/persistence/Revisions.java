package dev.updraft.server.persistence;

/**
 * The per-app counters through which every instance learns of committed changes (snapshot.SnapshotStore polls them).
 * Bumped in the transaction of the change, by snapshot.SnapshotRefresh only.
 */
public final class Revisions {
    private Revisions() {}

    /** Something the whole snapshot holds changed (channels, bundles, rollouts, operator overrides, app settings). */
    public static void bump(long appPk) {
        AppEntity.update("revision = revision + 1 where id = ?1", appPk);
    }

    /** Only a device's own channel choice changed. */
    public static void bumpDeviceChoices(long appPk) {
        AppEntity.update("choicesRevision = choicesRevision + 1 where id = ?1", appPk);
    }
}
