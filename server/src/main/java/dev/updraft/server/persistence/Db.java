package dev.updraft.server.persistence;

import io.quarkus.arc.InjectableInstance;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.Session;

/**
 * The Hibernate session of whichever persistence unit is active: the default one (H2) or {@code "pg"} (PostgreSQL).
 * Both are built into the jar over the same entity classes; {@link dev.updraft.server.config.DatabaseSelection}
 * activates one of them at run time. Use inside a transaction.
 */
@ApplicationScoped
public class Db {
    @Inject
    InjectableInstance<Session> h2;

    @Inject
    @PersistenceUnit("pg")
    InjectableInstance<Session> pg;

    private volatile InjectableInstance<Session> active;

    public Session session() {
        InjectableInstance<Session> a = active;
        if (a == null) {
            a = h2.getHandle().getBean().isActive() ? h2 : pg;
            active = a;
        }
        return a.get();
    }
}
