package io.zerodown.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Reads which table-level locks a backend holds from {@code pg_locks}, as the risk assessment's claims are checked. */
final class LockObserver {

    private LockObserver() {
    }

    /** The strongest lock the backend holds (granted) on each ordinary table of schema public, by table name. */
    static Map<String, PgLock> strongestTableLocks(Connection observer, int pid) throws SQLException {
        Map<String, PgLock> strongest = new TreeMap<>();
        try (PreparedStatement ps = observer.prepareStatement(
                "SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                        + "JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE l.pid = ? AND l.locktype = 'relation' AND l.granted AND n.nspname = 'public' AND c.relkind IN ('r', 'p')")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    PgLock mode = PgLock.fromPgLocks(rs.getString(2));
                    strongest.merge(rs.getString(1), mode, (a, b) -> a.compareTo(b) >= 0 ? a : b);
                }
            }
        }
        return strongest;
    }

    static int backendPid(Connection connection) throws SQLException {
        return (int) PgTestSupport.queryLong(connection, "SELECT pg_backend_pid()");
    }

    static long relfilenode(Connection connection, String table) throws SQLException {
        return PgTestSupport.queryLong(connection, "SELECT pg_relation_filenode(" + PgSql.regclass(io.zerodown.model.TableName.of(table)) + ")");
    }

    /** Waits until the backend waits on a lock (a heavyweight lock or another transaction), or fails after the timeout. */
    static void awaitWaiting(Connection observer, int pid, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String event = PgTestSupport.queryString(observer, "SELECT wait_event_type FROM pg_stat_activity WHERE pid = " + pid);
            if ("Lock".equals(event)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("backend " + pid + " did not start waiting on a lock within " + timeout);
    }
}
