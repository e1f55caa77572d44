package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.checksum;
import static io.zerodown.postgres.PgTestSupport.execute;
import static io.zerodown.postgres.PgTestSupport.introspect;
import static io.zerodown.postgres.PgTestSupport.queryString;
import static io.zerodown.postgres.PgTestSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerodown.Migration;
import io.zerodown.MigrationValidationException;
import io.zerodown.Problem;
import io.zerodown.Zerodown;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.ReadPattern;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.context.Target;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.Check;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Technique;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/** Renaming a table: the rename and its compatibility view, on 12 and 18. */
class PostgresRenameTableTest {

    static final String DDL = "CREATE TABLE parent (id bigint PRIMARY KEY);\n"
            + "CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, status text NOT NULL DEFAULT 'active', "
            + "created_at timestamptz DEFAULT now(), parent_id bigint REFERENCES parent);\n"
            + "CREATE INDEX users_status_idx ON users (status);\n"
            + "CREATE TABLE child (id int PRIMARY KEY, user_id bigint REFERENCES users);\n";

    static void setup(Connection c, int rows) throws SQLException {
        execute(c, DDL, "INSERT INTO parent VALUES (1), (2)",
                "INSERT INTO users (email, parent_id, created_at) SELECT 'u' || g || '@example.com', 1 + g % 2, "
                        + "timestamptz '2026-01-01' + g * interval '1 minute' FROM generate_series(1, " + rows + ") g",
                "INSERT INTO child SELECT g, g FROM generate_series(1, least(" + rows + ", 100)) g");
    }

    static MigrationContext context(int major, DowntimeTolerance downtime) {
        return MigrationContext.builder().name("rename_users").date(LocalDate.of(2026, 11, 24)).target(Target.postgres(major))
                .profile("users", TableProfile.of(2_000_000, 50, ReadPattern.MIXED))
                .downtime(downtime).rollback(RollbackRequirement.reversibleFor(Duration.ofDays(7))).build();
    }

    static MigrationPackage compile(int major, DowntimeTolerance downtime) {
        return Zerodown.compile(Migration.on("users").renameTo("accounts").plan(), DDL, context(major, downtime));
    }

    @Test
    void goldenOnline() {
        MigrationPackage pkg = compile(15, DowntimeTolerance.none());
        GoldenFiles.assertMatches("rename_table/online.up.sql", pkg.up().sql());
        GoldenFiles.assertMatches("rename_table/online.contract.sql", pkg.contract().sql());
        GoldenFiles.assertMatches("rename_table/online.down.sql", pkg.down().script().sql());
        GoldenFiles.assertMatches("rename_table/online.verify.sql", render(pkg.verification()));
    }

    @Test
    void goldenDirect() {
        MigrationPackage pkg = compile(15, DowntimeTolerance.devOnly());
        assertThat(pkg.contract().steps()).as("no view, so nothing to contract").isEmpty();
        GoldenFiles.assertMatches("rename_table/direct.up.sql", pkg.up().sql());
        GoldenFiles.assertMatches("rename_table/direct.down.sql", pkg.down().script().sql());
    }

    @Test
    void strategyFollowsTheDowntimeTolerance() {
        assertThat(compile(15, DowntimeTolerance.none()).strategy().techniques()).containsExactly(Technique.EXPAND_CONTRACT);
        assertThat(compile(15, DowntimeTolerance.devOnly()).strategy().techniques()).containsExactly(Technique.DIRECT);
        assertThat(compile(15, DowntimeTolerance.maintenanceWindow(Duration.ofMinutes(5))).strategy().techniques())
                .containsExactly(Technique.DIRECT, Technique.MAINTENANCE_WINDOW);
        assertThat(compile(12, DowntimeTolerance.none()).up().sql()).doesNotContain("security_invoker");
        assertThat(compile(15, DowntimeTolerance.none()).up().sql()).contains("WITH (security_invoker = true)");
        assertThat(compile(12, DowntimeTolerance.none()).execution().preChecks()).extracting(Check::description)
                .anyMatch(d -> d.startsWith("Row-level security is off on users"));
        assertThat(compile(15, DowntimeTolerance.none()).execution().preChecks()).extracting(Check::description)
                .noneMatch(d -> d.startsWith("Row-level security"));
    }

    @Test
    void locksAndRoundTripOnline() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            TableOpChecks.locksAndRoundTrip(server, c -> setup(c, 500), compile(server.major(), DowntimeTolerance.none()));
        }
    }

    @Test
    void locksAndRoundTripDirect() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            TableOpChecks.locksAndRoundTrip(server, c -> setup(c, 500), compile(server.major(), DowntimeTolerance.devOnly()));
        }
    }

    @Test
    void theRenameIsInstantWhateverTheTableSize() throws Exception {
        PackageChecks.durationClasses(PostgresServers.newest(), n -> c -> setup(c, n), 1_500, 30_000,
                compile(18, DowntimeTolerance.none()));
    }

    /**
     * Old code through the view, as an application role with only the table's grants: reads, writes with RETURNING, the
     * table's defaults on insert, ON CONFLICT; new code through the new name; then down restores the data and the catalog.
     */
    @Test
    void oldCodeKeepsWorkingThroughTheViewAndDownRestoresEverything() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            String role = "zd_app_" + UUID.randomUUID().toString().substring(0, 8);
            MigrationPackage pkg = compile(server.major(), DowntimeTolerance.none());
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                setup(c, 50);
                execute(c, "CREATE ROLE " + role, "GRANT SELECT, INSERT, UPDATE, DELETE ON users TO " + role,
                        "GRANT USAGE ON SEQUENCE users_id_seq TO " + role);
                Schema before = introspect(c);
                String data = checksum(c, "users", "id", "email", "status", "created_at", "parent_id");
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
                new StepRunner(c).run(pkg.up().steps());
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
                assertThat(checksum(c, "accounts", "id", "email", "status", "created_at", "parent_id")).isEqualTo(data);

                execute(c, "SET ROLE " + role);
                assertThat(rows(c, "INSERT INTO users (email) VALUES ('old@example.com') RETURNING id, status, created_at IS NOT NULL"))
                        .as("the table's defaults apply through the view, RETURNING works (%s)", server.major())
                        .containsExactly(List.of("51", "active", "t"));
                assertThat(rows(c, "UPDATE users SET status = 'gone' WHERE id = 1 RETURNING email")).containsExactly(List.of("u1@example.com"));
                assertThat(rows(c, "INSERT INTO users (email) VALUES ('u2@example.com') ON CONFLICT (email) DO UPDATE SET status = 'dup' "
                        + "RETURNING id, status")).containsExactly(List.of("2", "dup"));
                assertThat(rows(c, "DELETE FROM users WHERE email = 'old@example.com' RETURNING id")).containsExactly(List.of("51"));
                assertThat(queryString(c, "SELECT status FROM accounts WHERE id = 1")).as("new code sees old code's writes").isEqualTo("gone");
                execute(c, "INSERT INTO accounts (email) VALUES ('new@example.com')");
                assertThat(queryString(c, "SELECT count(*) FROM users WHERE email = 'new@example.com'")).isEqualTo("1");
                execute(c, "RESET ROLE");

                new StepRunner(c).run(pkg.down().script().steps());
                assertThat(introspect(c)).isEqualTo(before);
                assertThat(queryString(c, "SELECT count(*) FROM pg_class WHERE relname = 'accounts'")).isEqualTo("0");
                execute(c, "SET ROLE " + role);
                assertThat(queryString(c, "SELECT status FROM users WHERE id = 1")).as("the role keeps its grants").isEqualTo("gone");
                execute(c, "RESET ROLE");
                execute(c, "DELETE FROM users WHERE email = 'new@example.com'", "UPDATE users SET status = 'active' WHERE id IN (1, 2)");
                assertThat(checksum(c, "users", "id", "email", "status", "created_at", "parent_id")).isEqualTo(data);

                new StepRunner(c).run(pkg.up().steps());
                new StepRunner(c).run(pkg.up().steps());
                new StepRunner(c).run(pkg.contract().steps());
                new StepRunner(c).run(pkg.contract().steps());
                assertThat(queryString(c, "SELECT to_regclass('users')")).as("the contract drops the view").isNull();
                assertThat(checksum(c, "accounts", "id", "email", "status", "created_at", "parent_id")).isEqualTo(data);
            } finally {
                try (TestDatabase admin = server.createDatabase(); Connection c = admin.connect()) {
                    execute(c, "DROP ROLE IF EXISTS " + role);
                }
            }
        }
    }

    @Test
    void misuseIsReportedTogether() {
        String ddl = DDL + "CREATE INDEX accounts ON users (email);\n";
        assertThatThrownBy(() -> Zerodown.compile(Migration.on("nobody").renameTo("somebody")
                        .on("users").renameTo("users")
                        .on("users").renameTo("accounts")
                        .on("accounts").renameTo("x".repeat(64))
                        .on("child").renameTo("parent").plan(), ddl,
                MigrationContext.builder().name("bad").target(Target.postgres(15)).build()))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly(
                                "unknown table \"nobody\"",
                                "the table is already called \"users\"",
                                "an index or sequence is already named \"accounts\" (tables, indexes and sequences share one namespace "
                                        + "in PostgreSQL); choose another name",
                                "table name \"" + "x".repeat(64) + "\" is longer than 63 bytes; PostgreSQL would silently cut it",
                                "a table named \"parent\" already exists"));
    }

    private static final String COLUMN = "v \"a'l";

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.of("a\"b", "x y", "$zerodown$", "Ünï", "select", "semi;colon", "it's", "n".repeat(63)),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10).map(s -> "t_" + s));
    }

    /** Generated names (hostile ones included), tolerances and servers: up, verification, catalog, data, down. */
    @Property(tries = 6, shrinking = ShrinkingMode.OFF)
    void renamesAnyTableAndBackAgain(@ForAll("names") String from, @ForAll("names") String to, @ForAll boolean newest,
                                     @ForAll boolean online) throws Exception {
        if (from.equals(to)) {
            return;
        }
        PostgresServer server = newest ? PostgresServers.newest() : PostgresServers.oldest();
        String ddl = "CREATE TABLE " + PgSql.quote(from) + " (id bigserial PRIMARY KEY, " + PgSql.quote(COLUMN)
                + " text DEFAULT 'x');";
        MigrationContext context = MigrationContext.builder().name("p").target(Target.postgres(server.major()))
                .downtime(online ? DowntimeTolerance.none() : DowntimeTolerance.devOnly()).build();
        MigrationPackage pkg = Zerodown.compile(Migration.on(from).renameTo(to).plan(), ddl, context);
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
            execute(c, ddl, "INSERT INTO " + PgSql.quote(from) + " (" + PgSql.quote(COLUMN) + ") SELECT 'v' || g FROM generate_series(1, 20) g");
            Schema before = introspect(c);
            String data = checksum(c, from, "id", COLUMN);
            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(io.zerodown.postgres.testing.ComparableSchema.of(introspect(c)))
                    .isEqualTo(io.zerodown.postgres.testing.ComparableSchema.of(PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps())));
            assertThat(checksum(c, to, "id", COLUMN)).isEqualTo(data);
            if (online) {
                execute(c, "INSERT INTO " + PgSql.quote(from) + " DEFAULT VALUES");
                assertThat(queryString(c, "SELECT " + PgSql.quote(COLUMN) + " FROM " + PgSql.quote(to) + " WHERE id = 21")).isEqualTo("x");
                execute(c, "DELETE FROM " + PgSql.quote(from) + " WHERE id = 21");
            }
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, from, "id", COLUMN)).isEqualTo(data);
        }
    }

    static String render(List<Check> checks) {
        return checks.stream().map(check -> "-- " + check.description() + "\n-- expect: " + check.expected().describe() + "\n"
                + check.sql() + ";\n").collect(Collectors.joining("\n"));
    }
}
