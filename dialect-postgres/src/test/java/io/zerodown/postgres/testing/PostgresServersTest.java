package io.zerodown.postgres.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresServersTest {

    @Test
    void theOldestAndNewestServersStartAndReportTheirMajors() throws SQLException {
        assertThat(PostgresServers.oldest().major()).isEqualTo(12);
        assertThat(PostgresServers.oldest().version()).startsWith("12.");
        assertThat(PostgresServers.newest().major()).isEqualTo(18);
        assertThat(PostgresServers.newest().version()).startsWith("18.");
        assertThat(PostgresServers.oldestAndNewest()).containsExactly(PostgresServers.oldest(), PostgresServers.newest());
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int / 10000, current_database(), current_setting('fsync'), current_setting('full_page_writes'), current_setting('max_connections')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(server.major());
                assertThat(rs.getString(2)).isEqualTo(db.name());
                assertThat(rs.getString(3)).isEqualTo("off");
                assertThat(rs.getString(4)).isEqualTo("off");
                assertThat(rs.getString(5)).isEqualTo("100");
            }
        }
    }

    @Test
    void theReferenceServerIsFifteen() {
        assertThat(PostgresServers.reference().major()).isEqualTo(15);
        assertThat(PostgresServers.reference().version()).startsWith("15.");
    }

    @Test
    void aServerIsStartedOncePerJvm() {
        assertThat(PostgresServers.byMajor(12)).isSameAs(PostgresServers.oldest());
    }

    @Test
    void eachDatabaseIsNewAndEmptyAndGoneAfterClose() throws SQLException {
        PostgresServer server = PostgresServers.oldest();
        String first;
        try (TestDatabase a = server.createDatabase(); TestDatabase b = server.createDatabase()) {
            first = a.name();
            assertThat(a.name()).isNotEqualTo(b.name());
            try (Connection c = a.connect(); Statement s = c.createStatement()) {
                assertThat(c.getAutoCommit()).isTrue();
                s.execute("CREATE TABLE t (id int)");
            }
            try (Connection c = b.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class WHERE relname = 't'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            // A session left open must not stop close() from dropping the database.
            a.connect();
        }
        try (Connection c = server.connectTo("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + first + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void anUnavailableMajorIsAClearError() {
        assertThatThrownBy(() -> PostgresServers.byMajor(9))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no PostgreSQL 9 binaries jar");
    }
}
