package dev.updraft.server.persistence;

/** Every change the update check depends on bumps its app's revision, in the same transaction. */
public final class Revisions {
    private Revisions() {
    }

    public static void bump(long appPk) {
        AppEntity.update("revision = revision + 1 where id = ?1", appPk);
    }
}
