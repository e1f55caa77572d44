package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.checksum;
import static io.zerodown.postgres.PgTestSupport.execute;
import static io.zerodown.postgres.PgTestSupport.introspect;
import static io.zerodown.postgres.PgTestSupport.queryString;
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
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Phase;
import io.zerodown.plan.Step;
import io.zerodown.postgres.testing.ComparableSchema;
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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/** Dropping a table: at once in the contract phase, or renamed out of the way first; on 12 and 18. */
class PostgresDropTableTest {

    /** sessions references users; dropping sessions also locks users (its foreign key's triggers live there). */
    static final String DDL = "CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE);\n"
            + "CREATE TABLE sessions (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, token text, "
            + "parent_id bigint REFERENCES sessions);\n"
            + "CREATE INDEX sessions_user_id_idx ON sessions (user_id);\n";

    static void setup(Connection c, int rows) throws SQLException {
        execute(c, DDL, "INSERT INTO users (email) SELECT 'u' || g FROM generate_series(1, 100) g",
                "INSERT INTO sessions (user_id, token) SELECT 1 + g % 100, md5(g::text) FROM generate_series(1, " + rows + ") g");
    }

    static MigrationPackage compile(int major, boolean renameFirst) {
        MigrationContext context = MigrationContext.builder().name("drop_sessions").date(LocalDate.of(2026, 11, 24))
                .target(Target.postgres(major)).profile("sessions", TableProfile.of(1_000_000, 0, ReadPattern.MOSTLY_READS))
                .downtime(DowntimeTolerance.none()).rollback(RollbackRequirement.reversibleFor(Duration.ofDays(14))).build();
        var drop = Migration.on("sessions").dropTable();
        MigrationPlan plan = renameFirst ? drop.renameFirst().plan() : drop.plan();
        return Zerodown.compile(plan, DDL, context);
    }

    @Test
    void goldenDropAtOnce() {
        MigrationPackage pkg = compile(15, false);
        assertThat(pkg.up().steps()).as("nothing happens before the contract phase").isEmpty();
        assertThat(pkg.contract().steps()).singleElement().satisfies(step -> {
            assertThat(step.inverse()).isInstanceOf(Inverse.Irreversible.class);
            assertThat(step.locks()).extracting(LockClaim::relation).containsExactly("sessions", "users");
        });
        assertThat(pkg.down().irreversible()).singleElement().asString().contains("DROP TABLE cannot be undone");
        GoldenFiles.assertMatches("drop_table/at_once.contract.sql", pkg.contract().sql());
    }

    @Test
    void goldenRenameFirst() {
        MigrationPackage pkg = compile(15, true);
        assertThat(pkg.up().steps()).extracting(Step::phase).containsExactly(Phase.EXPAND);
        GoldenFiles.assertMatches("drop_table/rename_first.up.sql", pkg.up().sql());
        GoldenFiles.assertMatches("drop_table/rename_first.contract.sql", pkg.contract().sql());
        GoldenFiles.assertMatches("drop_table/rename_first.down.sql", pkg.down().script().sql());
    }

    @Test
    void locksAndRoundTripBothVariants() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            TableOpChecks.locksAndRoundTrip(server, c -> setup(c, 300), compile(server.major(), false));
            TableOpChecks.locksAndRoundTrip(server, c -> setup(c, 300), compile(server.major(), true));
        }
    }

    @Test
    void renameAndDropAreInstantWhateverTheTableSize() throws Exception {
        // renameFirst's contract step is the very DROP TABLE of the other variant, on the renamed table
        PackageChecks.durationClasses(PostgresServers.newest(), n -> c -> setup(c, n), 1_500, 30_000, compile(18, true));
    }

    @Test
    void renameFirstBreaksUsersLoudlyAndDownBringsEveryRowBack() throws Exception {
        MigrationPackage pkg = compile(18, true);
        try (TestDatabase db = PostgresServers.newest().createDatabase(); Connection c = db.connect()) {
            setup(c, 300);
            Schema before = introspect(c);
            String data = checksum(c, "sessions", "id", "user_id", "token");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThatThrownBy(() -> queryString(c, "SELECT count(*) FROM sessions"))
                    .hasMessageContaining("relation \"sessions\" does not exist");
            assertThat(checksum(c, "sessions_zd_dropped", "id", "user_id", "token")).isEqualTo(data);
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, "sessions", "id", "user_id", "token")).isEqualTo(data);
            new StepRunner(c).run(pkg.up().steps());
            new StepRunner(c).run(pkg.contract().steps());
            new StepRunner(c).run(pkg.contract().steps());
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
            assertThat(queryString(c, "SELECT count(*) FROM users")).as("the referenced table keeps its rows").isEqualTo("100");
        }
    }

    @Test
    void aViewOnTheTableStopsThePreChecks() throws Exception {
        MigrationPackage pkg = compile(12, true);
        try (TestDatabase db = PostgresServers.oldest().createDatabase(); Connection c = db.connect()) {
            setup(c, 10);
            execute(c, "CREATE VIEW recent_sessions AS SELECT * FROM sessions WHERE id > 5");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks())))
                    .singleElement().asString().contains("No view depends on sessions");
        }
    }

    @Test
    void aTableOtherTablesReferenceCannotBeDropped() {
        String ddl = DDL + "CREATE TABLE audit (id bigint PRIMARY KEY, user_id bigint CONSTRAINT audit_user REFERENCES users);\n"
                + "CREATE TABLE users_zd_dropped (id int);\n";
        MigrationPlan plan = Migration.on("users").dropTable().renameFirst().on("nobody").dropTable().plan();
        assertThatThrownBy(() -> Zerodown.compile(plan, ddl, MigrationContext.builder().name("bad").target(Target.postgres(15)).build()))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly(
                                "table \"users\" is referenced by the foreign keys \"audit_user\" on \"audit\", "
                                        + "\"sessions_user_id_fkey\" on \"sessions\"; drop them first (dropConstraint on the referencing "
                                        + "table), or keep the table",
                                "unknown table \"nobody\""));
        assertThatThrownBy(() -> Zerodown.compile(Migration.on("audit").dropTable().renameFirst().plan(),
                ddl.replace("audit (", "audit_zd_dropped (x int);\nCREATE TABLE audit ("),
                MigrationContext.builder().name("bad").target(Target.postgres(15)).build()))
                .hasMessageContaining("renameFirst renames \"audit\" to \"audit_zd_dropped\", but a relation of that name exists");
    }

    @Test
    void theOutOfTheWayNameFitsIn63BytesAndTellsLongNamesApart() {
        String shortName = PgTables.outOfTheWayName("sessions", PostgresDropTable.SUFFIX);
        String long1 = PgTables.outOfTheWayName("ü".repeat(31) + "a", PostgresDropTable.SUFFIX);
        String long2 = PgTables.outOfTheWayName("ü".repeat(31) + "b", PostgresDropTable.SUFFIX);
        assertThat(shortName).isEqualTo("sessions_zd_dropped");
        assertThat(List.of(long1, long2)).allSatisfy(name -> {
            assertThat(name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
            assertThat(name).startsWith("üü").endsWith("_zd_dropped").doesNotContain("\uFFFD");
        });
        assertThat(long1).isNotEqualTo(long2);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.of("a\"b", "x y", "$zerodown$", "Ünï", "it's", "ü".repeat(31), "n".repeat(63)),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10).map(s -> "t_" + s));
    }

    /** Generated names (long ones whose out-of-the-way name must be cut), variants, servers: up, verify, down, contract. */
    @Property(tries = 6, shrinking = ShrinkingMode.OFF)
    void dropsAnyTable(@ForAll("names") String table, @ForAll boolean renameFirst, @ForAll boolean newest) throws Exception {
        PostgresServer server = newest ? PostgresServers.newest() : PostgresServers.oldest();
        String ddl = "CREATE TABLE keep (id int PRIMARY KEY);\nCREATE TABLE " + PgSql.quote(table)
                + " (id bigserial PRIMARY KEY, k int REFERENCES keep, v text);";
        var drop = Migration.on(table).dropTable();
        MigrationPackage pkg = Zerodown.compile(renameFirst ? drop.renameFirst().plan() : drop.plan(), ddl,
                MigrationContext.builder().name("p").target(Target.postgres(server.major())).build());
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
            execute(c, ddl, "INSERT INTO keep VALUES (1)", "INSERT INTO " + PgSql.quote(table) + " (k, v) SELECT 1, 'v' || g FROM generate_series(1, 20) g");
            Schema before = introspect(c);
            String data = checksum(c, table, "id", "k", "v");
            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(ComparableSchema.of(introspect(c)))
                    .isEqualTo(ComparableSchema.of(PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps())));
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, table, "id", "k", "v")).isEqualTo(data);
            new StepRunner(c).run(pkg.up().steps());
            new StepRunner(c).run(pkg.contract().steps());
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
            assertThat(introspect(c).tables()).extracting(t -> t.name().value()).containsExactly("keep");
        }
    }
}
