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
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.operation.AddCheck;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
import io.zerodown.plan.Technique;
import io.zerodown.postgres.testing.ComparableSchema;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/** ADD CHECK on PostgreSQL: NOT VALID, then VALIDATE in its own transaction; or directly. */
class PostgresAddCheckTest {

    static final String DDL = "CREATE TABLE \"a\"\"b\" (id bigint PRIMARY KEY, \"x y\" integer, note text);";

    static PackageChecks.Setup fill(int rows) {
        return c -> execute(c, DDL, "INSERT INTO \"a\"\"b\" SELECT g, CASE WHEN g % 4 = 0 THEN NULL ELSE g % 100 END, 'n' || g "
                + "FROM generate_series(1, " + rows + ") g");
    }

    static MigrationPackage compile(int major, DowntimeTolerance downtime) {
        return ConstraintCases.compile(Migration.on("a\"b").addCheck("\"x y\" >= 0 AND \"x y\" < 1000").plan(), DDL, major, downtime,
                1_000_000, "a\"b");
    }

    @Test
    void goldenFiles() {
        GoldenFiles.assertMatches("add_check/online.sql", ConstraintCases.golden(compile(15, DowntimeTolerance.none())));
        GoldenFiles.assertMatches("add_check/direct.sql", ConstraintCases.golden(compile(15, DowntimeTolerance.devOnly())));
    }

    @Test
    void namesFollowPostgresAndStrategyFollowsDowntime() {
        assertThat(new AddCheck(io.zerodown.model.TableName.of("t"), java.util.Optional.empty(),
                io.zerodown.model.SqlExpression.of("price >= 0")).resolvedName().value()).isEqualTo("t_price_check");
        assertThat(new AddCheck(io.zerodown.model.TableName.of("t"), java.util.Optional.empty(),
                io.zerodown.model.SqlExpression.of("lo <= hi")).resolvedName().value()).isEqualTo("t_check");
        MigrationPackage online = compile(15, DowntimeTolerance.none());
        assertThat(online.up().steps()).extracting(Step::id).containsExactly("1.a\"b.check_a_b_x_y_check.add", "1.a\"b.check_a_b_x_y_check.validate");
        assertThat(online.strategy().techniques()).containsExactly(Technique.NOT_VALID_THEN_VALIDATE);
        assertThat(online.up().blockingLockTime()).isZero();
        MigrationPackage direct = compile(15, DowntimeTolerance.devOnly());
        assertThat(direct.up().steps()).hasSize(1);
        assertThat(direct.up().sql()).doesNotContain("NOT VALID");
        assertThat(compile(18, DowntimeTolerance.none()).up().sql()).as("the same on every version")
                .isEqualTo(online.up().sql().replace("postgresql 15", "postgresql 18"));
    }

    @Test
    void locksAndRoundTripOnOldestAndNewest() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            for (DowntimeTolerance downtime : List.of(DowntimeTolerance.none(), DowntimeTolerance.devOnly())) {
                PackageChecks.locksAndRoundTrip(server, fill(2_000), compile(server.major(), downtime));
            }
        }
    }

    @Test
    void durationClassesOnNewest() throws Exception {
        for (DowntimeTolerance downtime : List.of(DowntimeTolerance.none(), DowntimeTolerance.devOnly())) {
            PackageChecks.durationClasses(PostgresServers.newest(), PostgresAddCheckTest::fill, 2_000, 400_000, compile(18, downtime));
        }
    }

    @Test
    void violatingRowsStopItUntilFixedAndNullPasses() throws Exception {
        MigrationPackage pkg = compile(15, DowntimeTolerance.none());
        try (TestDatabase db = PostgresServers.reference().createDatabase(); Connection c = db.connect()) {
            fill(400).apply(c);
            Schema before = introspect(c);
            String data = checksum(c, "a\"b", "id", "x y", "note");
            execute(c, "UPDATE \"a\"\"b\" SET \"x y\" = -5 WHERE id = 3");
            assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.execution().preChecks())))
                    .anyMatch(f -> f.contains("violates CHECK"));
            assertThat(ConstraintCases.failureOf(c, pkg.up().steps())).contains("is violated by some row");
            assertThat(queryString(c, "SELECT convalidated FROM pg_constraint WHERE conname = 'a\"b_x y_check'")).isEqualTo("f");
            assertThatThrownBy(() -> execute(c, "INSERT INTO \"a\"\"b\" VALUES (-1, 5000, 'new')"))
                    .as("new rows are checked while NOT VALID").hasMessageContaining("violates check constraint");
            execute(c, "UPDATE \"a\"\"b\" SET \"x y\" = 3 WHERE id = 3");
            new StepRunner(c).run(pkg.up().steps());
            assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(checksum(c, "a\"b", "id", "x y", "note")).isEqualTo(data);
            execute(c, "INSERT INTO \"a\"\"b\" VALUES (-1, NULL, 'a NULL passes the check, as the note says')");
            execute(c, "DELETE FROM \"a\"\"b\" WHERE id = -1");
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
            execute(c, "INSERT INTO \"a\"\"b\" VALUES (-1, 5000, 'allowed again')");
        }
    }

    @Test
    void misuseIsReportedWithEveryProblem() {
        assertThatThrownBy(() -> ConstraintCases.compile(Migration.on("a\"b")
                        .addCheck("nope > 0")
                        .addCheck("\"x y\" >").named("broken")
                        .addCheck("note <> ''").named("a\"b_pkey")
                        .addCheck("note <> ''").named("c".repeat(64))
                        .plan(), DDL, 15, DowntimeTolerance.none(), 10, "a\"b"))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly("CHECK \"nope > 0\": unknown column \"nope\" in table \"a\"b\" (did you mean \"note\"?)",
                                "CHECK: not a single SQL expression: '\"x y\" >'",
                                "a constraint named \"a\"b_pkey\" already exists on \"a\"b\"",
                                "constraint name \"" + "c".repeat(64) + "\" is longer than 63 bytes; PostgreSQL would silently cut it. "
                                        + "Choose a shorter one with named(…)"));
    }

    record Case(String table, String column, int rows, int bound, boolean dev, boolean newest) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> names = Arbitraries.of("t", "a\"b", "x y", "$zerodown$", "Ünï Côde", "check");
        return Combinators.combine(names, names, Arbitraries.integers().between(0, 300), Arbitraries.integers().between(0, 50),
                        Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((t, col, rows, bound, dev, newest) -> new Case(t, col + "_c", rows, bound, dev, newest));
    }

    @Property(tries = 6, shrinking = ShrinkingMode.OFF)
    void roundTripKeepsDataAndCatalog(@ForAll("cases") Case k) throws Exception {
        PostgresServer server = k.newest() ? PostgresServers.newest() : PostgresServers.oldest();
        String ddl = "CREATE TABLE " + PgSql.quote(k.table()) + " (id bigint PRIMARY KEY, " + PgSql.quote(k.column()) + " integer, other text);";
        String column = PgSql.quote(k.column());
        MigrationPackage pkg = ConstraintCases.compile(Migration.on(k.table())
                        .addCheck(column + " >= " + k.bound() + " OR " + column + " = 999 OR other = '$zerodown$ '' x'").plan(),
                ddl, server.major(), k.dev() ? DowntimeTolerance.devOnly() : DowntimeTolerance.none(), k.rows(), k.table());
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
            execute(c, ddl, "INSERT INTO " + PgSql.quote(k.table()) + " SELECT g, CASE WHEN g % 5 = 0 THEN NULL ELSE " + k.bound()
                    + " + g END, 'o' || g FROM generate_series(1, " + k.rows() + ") g");
            Schema before = introspect(c);
            String data = checksum(c, k.table(), "id", k.column(), "other");
            assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
            new StepRunner(c).run(pkg.up().steps().subList(0, 1));
            new StepRunner(c).run(pkg.up().steps());
            assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
            assertThat(checksum(c, k.table(), "id", k.column(), "other")).isEqualTo(data);
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
        }
        assertThat(PackageChecks.simulate(PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps()), pkg.down().script().steps()))
                .isEqualTo(pkg.schemaBefore());
    }
}
