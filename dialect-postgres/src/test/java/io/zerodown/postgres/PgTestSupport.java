package io.zerodown.postgres;

import io.zerodown.model.schema.Schema;
import io.zerodown.postgres.schema.PostgresIntrospector;
import io.zerodown.postgres.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small helpers for tests that run SQL on a real server. */
final class PgTestSupport {

    private PgTestSupport() {
    }

    static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    static String queryString(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static long queryLong(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<List<String>> rows(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    static Schema introspect(Connection connection) throws SQLException {
        return PostgresIntrospector.read(connection, "public");
    }

    /** An md5 over the listed columns of every row, ordered by the first: equal before and after means the data is untouched. */
    static String checksum(Connection connection, String table, String... columns) throws SQLException {
        String cols = String.join(", ", java.util.Arrays.stream(columns).map(PgSql::quote).toList());
        return queryString(connection, "SELECT md5(string_agg(md5(ROW(" + cols + ")::text), ',' ORDER BY "
                + PgSql.quote(columns[0]) + ")) FROM " + PgSql.quote(table));
    }

    /** Whether a psql client is on the PATH. */
    static boolean psqlAvailable() {
        try {
            Process p = new ProcessBuilder("psql", "--version").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a script with psql as the package tells users to; returns psql's output, or throws with it on failure. */
    static String psql(TestDatabase db, String script) throws IOException, InterruptedException {
        Path file = Files.createTempFile("zerodown", ".sql");
        try {
            Files.writeString(file, script, StandardCharsets.UTF_8);
            ProcessBuilder builder = new ProcessBuilder("psql", "-X", "-v", "ON_ERROR_STOP=1", "-h", db.host(), "-p",
                    Integer.toString(db.port()), "-U", db.user(), "-d", db.name(), "-f", file.toString());
            builder.environment().put("PGCONNECT_TIMEOUT", "10");
            builder.redirectErrorStream(true);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("psql did not finish within 5 minutes:\n" + output);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("psql exited with " + process.exitValue() + ":\n" + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
