package dev.updraft.server.ops;

import dev.updraft.server.config.UpdraftConfig;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The H2 JDBC driver (quarkus.datasource.jdbc.driver), preceded by making the database's files owner-only: before the
 * first connection to a file database, the data folder is secured ({@link DataFolder#secure}) and the
 * {@code .mv.db} and {@code .trace.db} files are created 0600, so H2 never creates them with the process umask (docs/operations.md, "The data
 * folder"). This is the one hook that runs before Flyway's migration at start opens the database.
 */
public final class OwnerOnlyH2Driver implements Driver {
    /** The database, and the trace H2 appends its own errors to (even when another server holds the lock). */
    static final List<String> H2_FILES = List.of(".mv.db", ".trace.db");
    private final Driver h2 = new org.h2.Driver();
    private final Set<String> prepared = ConcurrentHashMap.newKeySet();

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        if (!prepared.contains(url)) {
            Path base = fileBase(url);
            if (base != null) {
                Path folder = base.getParent();
                if (folder.equals(dataDir())) {
                    DataFolder.secure(folder);
                }
                for (String suffix : H2_FILES) {
                    DataFolder.createOwnerOnlyFile(base.resolveSibling(base.getFileName() + suffix));
                }
            }
            prepared.add(url);
        }
        return h2.connect(url, info);
    }

    /** The absolute file name without {@code .mv.db} of an H2 file URL, or null for in-memory and server URLs. */
    static Path fileBase(String url) {
        String name = url.substring("jdbc:h2:".length());
        int options = name.indexOf(';');
        if (options >= 0) {
            name = name.substring(0, options);
        }
        if (name.startsWith("file:")) {
            name = name.substring("file:".length());
        } else if (name.matches("^[a-zA-Z]{2,}:.*")) {
            return null; // mem:, tcp:, ssl:, or another H2 file system
        }
        if (name.startsWith("~")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        return Path.of(name).toAbsolutePath().normalize();
    }

    private static Path dataDir() {
        return ConfigProvider.getConfig().unwrap(io.smallrye.config.SmallRyeConfig.class).getConfigMapping(UpdraftConfig.class)
                .dataDir().toAbsolutePath().normalize();
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return url != null && url.startsWith("jdbc:h2:");
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return h2.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return h2.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return h2.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return h2.jdbcCompliant();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return h2.getParentLogger();
    }
}
