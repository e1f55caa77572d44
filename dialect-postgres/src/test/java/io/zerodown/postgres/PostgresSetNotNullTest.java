package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.checksum;
import static io.zerodown.postgres.PgTestSupport.execute;
import static io.zerodown.postgres.PgTestSupport.introspect;
import static io.zerodown.postgres.PgTestSupport.queryLong;
import static io.zerodown.postgres.PgTestSupport.queryString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerodown.Migration;
import io.zerodown.MigrationValidationException;
import io.zerodown.Problem;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.LockDuration;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
import io.zerodown.plan.Technique;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/** SET NOT NULL on PostgreSQL 12 (CHECK, VALIDATE, SET NOT NULL without a scan) and 18 (NOT NULL … NOT VALID). */
class PostgresSetNotNullTest {

    static final String DDL = "CREATE TABLE \"a\"\"b\" (id bigint PRIMARY KEY, \"x y\" text, note text);";

    static MigrationPackage compile(int major, DowntimeTolerance downtime) {
        return ConstraintCases.compile(Migration.on("a\"b").setNotNull("x y").plan(), DDL, major, downtime, 1_000_000, "a\"b");
    }

    @Test
    void goldenFiles() {
        GoldenFiles.assertMatches("set_not_null/online_12_to_17.sql", ConstraintCases.golden(compile(15, DowntimeTolerance.none())));
        GoldenFiles.assertMatches("set_not_null/online_18.sql", ConstraintCases.golden(compile(18, DowntimeTolerance.none())));
        GoldenFiles.assertMatches("set_not_null/direct.sql", ConstraintCases.golden(compile(15, DowntimeTolerance.devOnly())));
    }

    @Test
    void strategyFollowsDowntimeAndVersion() {
        MigrationPackage old = compile(17, DowntimeTolerance.none());
        assertThat(old.strategy().techniques()).containsExactly(Technique.NOT_VALID_THEN_VALIDATE);
        assertThat(old.up().steps()).extracting(Step::id).containsExactly("1.a\"b.not_null_x_y.add_check",
                "1.a\"b.not_null_x_y.validate_check", "1.a\"b.not_null_x_y.set_not_null");
        assertThat(old.up().blockingLockTime()).isZero();
        MigrationPackage newest = compile(18, DowntimeTolerance.none());
        assertThat(newest.up().steps()).extracting(Step::id).containsExactly("1.a\"b.not_null_x_y.add_not_null",
                "1.a\"b.not_null_x_y.validate_not_null");
        assertThat(newest.up().sql()).contains("ADD CONSTRAINT \"a\"\"b_x y_not_null\" NOT NULL \"x y\" NOT VALID");
        MigrationPackage dev = compile(15, DowntimeTolerance.devOnly());
        assertThat(dev.strategy().techniques()).containsExactly(Technique.DIRECT);
        assertThat(dev.up().steps()).hasSize(1);
        assertThat(compile(15, DowntimeTolerance.maintenanceWindow(Duration.ofMinutes(1))).strategy().techniques())
                .as("a scan of 1,000,000 rows (about 500 ms) fits a 1 min window").containsExactly(Technique.DIRECT, Technique.MAINTENANCE_WINDOW);
        assertThat(compile(15, DowntimeTolerance.maintenanceWindow(Duration.ofMillis(100))).strategy().techniques())
                .containsExactly(Technique.NOT_VALID_THEN_VALIDATE);
        assertThat(old.contract().steps()).isEmpty();
    }

    @Test
    void locksAndRoundTripOnOldestAndNewest() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            for (DowntimeTolerance downtime : List.of(DowntimeTolerance.none(), DowntimeTolerance.devOnly())) {
                PackageChecks.locksAndRoundTrip(server, fill(2_000), compile(server.major(), downtime));
            }
        }
    }

    /** Rows without NULL in the column: what the pre-check asks for. */
    static PackageChecks.Setup fill(int n) {
        return c -> execute(c, DDL, "INSERT INTO \"a\"\"b\" SELECT g, 'v' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'n' END "
                + "FROM generate_series(1, " + n + ") g");
    }

    @Test
    void durationClassesOnNewest() throws Exception {
        for (DowntimeTolerance downtime : List.of(DowntimeTolerance.none(), DowntimeTolerance.devOnly())) {
            PackageChecks.durationClasses(PostgresServers.newest(), PostgresSetNotNullTest::fill, 2_000, 400_000, compile(18, downtime));
        }
        PackageChecks.durationClasses(PostgresServers.oldest(), PostgresSetNotNullTest::fill, 2_000, 400_000,
                compile(12, DowntimeTolerance.none()));
    }

    @Test
    void setNotNullAfterTheValidCheckDoesNotScanOn12() throws Exception {
        MigrationPackage pkg = compile(12, DowntimeTolerance.none());
        try (TestDatabase db = PostgresServers.oldest().createDatabase(); Connection c = db.connect()) {
            fill(1_000).apply(c);
            new StepRunner(c).run(pkg.up().steps().subList(0, 2));
            execute(c, "SET client_min_messages = debug1");
            List<String> notices = ConstraintCases.runCollecting(c, pkg.up().steps().subList(2, 3));
            execute(c, "RESET client_min_messages");
            assertThat(notices).anyMatch(n -> n.contains("are sufficient to prove that it does not contain nulls"))
                    .noneMatch(n -> n.contains("verifying table"));
        }
    }

    @Test
    void dataIsUntouchedNullsAreRefusedAndDownAllowsThemAgain() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = compile(server.major(), DowntimeTolerance.none());
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                fill(3_000).apply(c);
                String data = checksum(c, "a\"b", "id", "x y", "note");
                Schema before = introspect(c);
                new StepRunner(c).run(pkg.up().steps().subList(0, 1));
                assertThatThrownBy(() -> execute(c, "INSERT INTO \"a\"\"b\" (id) VALUES (-1)"))
                        .as("the NOT VALID constraint already refuses NULL").hasMessageContaining("violates");
                new StepRunner(c).run(pkg.up().steps());
                assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
                assertThat(checksum(c, "a\"b", "id", "x y", "note")).isEqualTo(data);
                assertThatThrownBy(() -> execute(c, "INSERT INTO \"a\"\"b\" (id) VALUES (-1)")).hasMessageContaining("null value");
                new StepRunner(c).run(pkg.up().steps());
                assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.verification()))).as("a second run changes nothing").isEmpty();

                new StepRunner(c).run(pkg.down().script().steps());
                assertThat(introspect(c)).isEqualTo(before);
                assertThat(checksum(c, "a\"b", "id", "x y", "note")).isEqualTo(data);
                execute(c, "INSERT INTO \"a\"\"b\" (id) VALUES (-1)");
            }
        }
    }

    @Test
    void nullRowsFailThePreCheckAndTheValidationThenTheUpResumesOnceFixed() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = compile(server.major(), DowntimeTolerance.none());
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                fill(100).apply(c);
                execute(c, "UPDATE \"a\"\"b\" SET \"x y\" = NULL WHERE id = 7");
                assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.execution().preChecks())))
                        .anyMatch(f -> f.contains("has x y NULL"));
                assertThat(ConstraintCases.failureOf(c, pkg.up().steps())).contains(server.major() >= 18 ? "contains null values" : "is violated by some row");
                assertThat(queryString(c, "SELECT count(*) FROM pg_constraint WHERE NOT convalidated AND conrelid = '\"a\"\"b\"'::regclass"))
                        .as("left NOT VALID, as ifInterrupted says").isEqualTo("1");
                execute(c, "UPDATE \"a\"\"b\" SET \"x y\" = 'fixed' WHERE id = 7");
                new StepRunner(c).run(pkg.up().steps());
                assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
                assertThat(queryLong(c, "SELECT count(*) FROM pg_constraint WHERE NOT convalidated AND conrelid = '\"a\"\"b\"'::regclass")).isZero();
            }
        }
    }

    @Test
    void psqlRunsTheRenderedScriptsTwice() throws Exception {
        if (!"true".equals(System.getenv("ZERODOWN_REQUIRE_PSQL"))) {
            org.assertj.core.api.Assumptions.assumeThat(PgTestSupport.psqlAvailable()).as("psql is not installed").isTrue();
        }
        MigrationPackage pkg = compile(15, DowntimeTolerance.none());
        try (TestDatabase db = PostgresServers.reference().createDatabase(); Connection c = db.connect()) {
            fill(500).apply(c);
            Schema before = introspect(c);
            PgTestSupport.psql(db, pkg.up().sql());
            assertThat(PgTestSupport.psql(db, pkg.up().sql())).contains("zerodown: up script complete");
            assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            PgTestSupport.psql(db, pkg.down().script().sql());
            PgTestSupport.psql(db, pkg.down().script().sql());
            assertThat(introspect(c)).isEqualTo(before);
        }
    }

    @Test
    void misuseIsReportedWithEveryProblem() {
        assertThatThrownBy(() -> ConstraintCases.compile(Migration.on("a\"b").setNotNull("id").setNotNull("nope").on("zz").setNotNull("x").plan(),
                DDL, 15, DowntimeTolerance.none(), 10, "a\"b"))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly("column \"id\" of table \"a\"b\" is already NOT NULL: there is nothing to do",
                                "unknown column \"nope\" in table \"a\"b\" (did you mean \"note\"?)",
                                "unknown table \"zz\""));
    }

    // ── property: generated names, rows, downtime and version ────────────────────────────────

    record Case(String table, String column, int rows, int nullEvery, boolean dev, boolean newest) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> names = Arbitraries.of("t", "a\"b", "x y", "$zerodown$", "Mixed Case", "ünï", "select");
        return Combinators.combine(names, names, Arbitraries.integers().between(0, 300), Arbitraries.integers().between(2, 5),
                Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((t, col, rows, every, dev, newest) -> new Case(t, col.equals("id") ? "c" : col + "_c", rows, every, dev, newest));
    }

    @Property(tries = 6, shrinking = ShrinkingMode.OFF)
    void roundTripKeepsDataAndCatalog(@ForAll("cases") Case k) throws Exception {
        PostgresServer server = k.newest() ? PostgresServers.newest() : PostgresServers.oldest();
        String ddl = "CREATE TABLE " + PgSql.quote(k.table()) + " (id bigint PRIMARY KEY, " + PgSql.quote(k.column()) + " text, other int);";
        MigrationPackage pkg = ConstraintCases.compile(Migration.on(k.table()).setNotNull(k.column()).plan(), ddl, server.major(),
                k.dev() ? DowntimeTolerance.devOnly() : DowntimeTolerance.none(), k.rows(), k.table());
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
            execute(c, ddl, "INSERT INTO " + PgSql.quote(k.table()) + " SELECT g, 'v' || g, CASE WHEN g % " + k.nullEvery()
                    + " = 0 THEN NULL ELSE g END FROM generate_series(1, " + k.rows() + ") g");
            Schema before = introspect(c);
            String data = checksum(c, k.table(), "id", k.column(), "other");
            new StepRunner(c).run(pkg.up().steps().subList(0, 1));
            new StepRunner(c).run(pkg.up().steps());
            assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(io.zerodown.postgres.testing.ComparableSchema.of(introspect(c)))
                    .isEqualTo(io.zerodown.postgres.testing.ComparableSchema.of(pkg.schemaAfter()));
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, k.table(), "id", k.column(), "other")).isEqualTo(data);
        }
        assertThat(PackageChecks.simulate(PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps()), pkg.down().script().steps()))
                .as("down undoes up in memory").isEqualTo(pkg.schemaBefore());
        for (Step step : pkg.up().steps()) {
            for (LockClaim claim : step.locks()) {
                if (((PgLock) claim.mode()).needsLockTimeout()) {
                    assertThat(step.statements()).allMatch(s -> s.startsWith("DO ") && s.contains("lock_timeout"));
                }
                if (claim.duration() instanceof LockDuration.ProportionalToRows && !k.dev()) {
                    assertThat(claim.mode()).as("no long blocking lock online").isEqualTo(PgLock.SHARE_UPDATE_EXCLUSIVE);
                }
            }
        }
    }
}
