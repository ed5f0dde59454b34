package dev.updraft.server.persistence;

import org.hibernate.Session;

/** Every change the update check depends on bumps its app's revision, in the same transaction. */
public final class Revisions {
    private Revisions() {
    }

    public static void bump(Session s, long appPk) {
        s.createMutationQuery("update AppEntity set revision = revision + 1 where id = :id").setParameter("id", appPk).executeUpdate();
    }
}
