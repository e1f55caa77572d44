package io.zerodown.postgres.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An empty database on a test server, dropped by {@link #close()}. Connect through JDBC with
 * {@link #connect()}, or run {@code psql -h host -p port -U user -d name} against it.
 */
public final class TestDatabase implements AutoCloseable {

    private static final int DROP_ATTEMPTS = 50;

    private final PostgresServer server;
    private final String name;

    TestDatabase(PostgresServer server, String name) {
        this.server = server;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The JDBC URL, user included: {@code jdbc:postgresql://localhost:port/name?user=postgres}. */
    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /** A new connection to this database, in autocommit mode. The caller closes it. */
    public Connection connect() throws SQLException {
        Connection c = server.connectTo(name);
        c.setAutoCommit(true);
        return c;
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    public String user() {
        return server.user();
    }

    /** The server this database lives on. */
    public PostgresServer server() {
        return server;
    }

    /** Ends every session still connected to the database, then drops it. */
    @Override
    public void close() {
        try (Connection c = server.connectTo("postgres")) {
            SQLException last = null;
            for (int attempt = 0; attempt < DROP_ATTEMPTS; attempt++) {
                try (PreparedStatement terminate = c.prepareStatement(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
                    terminate.setString(1, name);
                    terminate.execute();
                }
                try (Statement drop = c.createStatement()) {
                    drop.execute("DROP DATABASE IF EXISTS " + name);
                    return;
                } catch (SQLException e) {
                    // 55006: a terminated backend had not exited yet; it will within milliseconds.
                    if (!"55006".equals(e.getSQLState())) {
                        throw e;
                    }
                    last = e;
                    Thread.sleep(100);
                }
            }
            throw new IllegalStateException("database " + name + " is still in use after " + DROP_ATTEMPTS + " attempts to drop it", last);
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop database " + name + " on " + server, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dropping database " + name, e);
        }
    }

    @Override
    public String toString() {
        return name + " on " + server;
    }
}
