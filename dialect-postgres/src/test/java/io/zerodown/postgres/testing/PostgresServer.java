package io.zerodown.postgres.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One running PostgreSQL server (see {@link PostgresServers}): hands out fresh, empty databases so
 * that tests never see each other's objects.
 */
public final class PostgresServer {

    private static final String HOST = "localhost";
    private static final String USER = "postgres";

    private final int major;
    private final EmbeddedPostgres postgres;
    private final String version;
    private final String namePrefix;
    private final AtomicInteger databases = new AtomicInteger();

    PostgresServer(int major, EmbeddedPostgres postgres) {
        this.major = major;
        this.postgres = postgres;
        this.namePrefix = "zd_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36) + "_";
        try (Connection c = connectTo("postgres");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version'), current_setting('server_version_num')::int / 10000")) {
            rs.next();
            this.version = rs.getString(1);
            int reported = rs.getInt(2);
            if (reported != major) {
                throw new IllegalStateException("the binaries for PostgreSQL " + major + " started a PostgreSQL "
                        + version + " server: check the jars in zerodown.pg.binaries");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL " + major + " started but does not answer on port " + port(), e);
        }
    }

    /** The major version: 12, 15, 18. */
    public int major() {
        return major;
    }

    /** The server's {@code server_version}, e.g. {@code 12.22}. */
    public String version() {
        return version;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return postgres.getPort();
    }

    /** The superuser every database belongs to; it logs in without a password ({@code trust}). */
    public String user() {
        return USER;
    }

    /**
     * A new empty database with a name unique in this JVM, created from {@code template0}. Close it
     * when done: that drops it.
     */
    public TestDatabase createDatabase() {
        String name = namePrefix + databases.incrementAndGet();
        try (Connection c = connectTo("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " TEMPLATE template0");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " on PostgreSQL " + version, e);
        }
        return new TestDatabase(this, name);
    }

    String jdbcUrl(String database) {
        return postgres.getJdbcUrl(USER, database);
    }

    Connection connectTo(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database));
    }

    @Override
    public String toString() {
        return "PostgreSQL " + version;
    }
}
