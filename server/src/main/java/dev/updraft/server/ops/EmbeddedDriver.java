package dev.updraft.server.ops;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The datasource's JDBC driver ({@code quarkus.datasource.jdbc.driver}): PostgreSQL's, preceded, for the embedded
 * database's planned URL ({@link EmbeddedDatabase#plan}), by starting that database on the first connection and adding
 * its password. This first connection is Flyway's migration at start, so the database runs before anything uses it,
 * and only once the settings were all accepted. Any other URL (an external PostgreSQL) goes to PostgreSQL's driver as
 * it is.
 */
public final class EmbeddedDriver implements Driver {
    private final Driver postgres = new org.postgresql.Driver();

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Optional<EmbeddedDatabase> embedded = EmbeddedDatabase.startIfPlanned(url);
        if (embedded.isEmpty()) {
            return postgres.connect(url, info);
        }
        Properties withPassword = new Properties();
        withPassword.putAll(info);
        withPassword.setProperty("user", embedded.get().user());
        withPassword.setProperty("password", embedded.get().password());
        return postgres.connect(url, withPassword);
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return postgres.acceptsURL(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return postgres.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return postgres.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return postgres.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return postgres.jdbcCompliant();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return postgres.getParentLogger();
    }
}
