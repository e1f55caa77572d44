package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.checksum;
import static io.zerodown.postgres.PgTestSupport.execute;
import static io.zerodown.postgres.PgTestSupport.introspect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerodown.Migration;
import io.zerodown.MigrationValidationException;
import io.zerodown.Problem;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/** DROP NOT NULL on PostgreSQL, and its down script: the safe SET NOT NULL sequence, which fails on NULLs written meanwhile. */
class PostgresDropNotNullTest {

    static final String DDL = "CREATE TABLE \"a\"\"b\" (id bigint PRIMARY KEY, \"x y\" text NOT NULL, n bigint GENERATED ALWAYS AS IDENTITY, note text);";

    static PackageChecks.Setup fill(int rows) {
        return c -> execute(c, DDL, "INSERT INTO \"a\"\"b\" (id, \"x y\", note) SELECT g, 'v' || g, NULL FROM generate_series(1, " + rows + ") g");
    }

    static MigrationPackage compile(int major) {
        return ConstraintCases.compile(Migration.on("a\"b").dropNotNull("x y").plan(), DDL, major, DowntimeTolerance.none(), 1_000_000, "a\"b");
    }

    @Test
    void goldenFiles() {
        GoldenFiles.assertMatches("drop_not_null/down_12_to_17.sql", ConstraintCases.golden(compile(15)));
        GoldenFiles.assertMatches("drop_not_null/down_18.sql", ConstraintCases.golden(compile(18)));
    }

    @Test
    void oneInstantStepWhoseDownIsTheOnlineSetNotNull() {
        MigrationPackage pkg = compile(15);
        assertThat(pkg.up().steps()).extracting(Step::id).containsExactly("1.a\"b.drop_not_null_x_y.drop");
        assertThat(pkg.up().blockingLockTime()).isZero();
        assertThat(pkg.down().script().steps()).extracting(Step::id).containsExactly("1.a\"b.drop_not_null_x_y.undo_add_check",
                "1.a\"b.drop_not_null_x_y.undo_validate_check", "1.a\"b.drop_not_null_x_y.undo_set_not_null");
        assertThat(compile(18).down().script().steps()).extracting(Step::id).containsExactly(
                "1.a\"b.drop_not_null_x_y.undo_add_not_null", "1.a\"b.drop_not_null_x_y.undo_validate_not_null");
        assertThat(pkg.risk().hazards()).anyMatch(h -> h.title().equals("The down script fails once NULLs are written"));
    }

    @Test
    void locksAndRoundTripOnOldestAndNewest() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            PackageChecks.locksAndRoundTrip(server, fill(2_000), compile(server.major()));
        }
    }

    @Test
    void durationClassesOnNewest() throws Exception {
        PackageChecks.durationClasses(PostgresServers.newest(), PostgresDropNotNullTest::fill, 2_000, 400_000, compile(18));
    }

    @Test
    void theDownFailsOnNullsWrittenMeanwhileAndWorksOnceTheyAreFilled() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = compile(server.major());
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                fill(500).apply(c);
                Schema before = introspect(c);
                String data = checksum(c, "a\"b", "id", "x y", "note");
                new StepRunner(c).run(pkg.up().steps());
                assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
                assertThat(checksum(c, "a\"b", "id", "x y", "note")).isEqualTo(data);
                execute(c, "INSERT INTO \"a\"\"b\" (id, \"x y\") VALUES (-1, NULL)");

                assertThat(ConstraintCases.failureOf(c, pkg.down().script().steps()))
                        .contains(server.major() >= 18 ? "contains null values" : "is violated by some row");
                assertThatThrownBy(() -> execute(c, "INSERT INTO \"a\"\"b\" (id, \"x y\") VALUES (-2, NULL)"))
                        .as("from the down script's first step, new NULLs are refused").hasMessageContaining("violates");
                execute(c, "DELETE FROM \"a\"\"b\" WHERE id = -1");
                new StepRunner(c).run(pkg.down().script().steps());
                assertThat(introspect(c)).isEqualTo(before);
                assertThat(checksum(c, "a\"b", "id", "x y", "note")).isEqualTo(data);
            }
        }
    }

    @Test
    void misuseIsReportedWithEveryProblem() {
        assertThatThrownBy(() -> ConstraintCases.compile(Migration.on("a\"b").dropNotNull("id").dropNotNull("n").dropNotNull("note").plan(),
                DDL, 15, DowntimeTolerance.none(), 10, "a\"b"))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly("column \"id\" is part of the primary key \"a\"b_pkey\"; PostgreSQL keeps primary key columns "
                                        + "NOT NULL. Drop the primary key first (dropConstraint(\"a\"b_pkey\"))",
                                "column \"n\" is an identity column, which PostgreSQL keeps NOT NULL; drop the identity first "
                                        + "(ALTER COLUMN … DROP IDENTITY) if NULL must be allowed",
                                "column \"note\" of table \"a\"b\" already allows NULL: there is nothing to do"));
    }

    record Case(String table, String column, int rows, boolean newest) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> names = Arbitraries.of("t", "a\"b", "x y", "$zerodown$", "Ünï Côde", "order");
        return Combinators.combine(names, names, Arbitraries.integers().between(0, 200), Arbitraries.of(true, false))
                .as((t, col, rows, newest) -> new Case(t, col + "_c", rows, newest));
    }

    @Property(tries = 6, shrinking = ShrinkingMode.OFF)
    void roundTripKeepsDataAndCatalog(@ForAll("cases") Case k) throws Exception {
        PostgresServer server = k.newest() ? PostgresServers.newest() : PostgresServers.oldest();
        String ddl = "CREATE TABLE " + PgSql.quote(k.table()) + " (id bigint PRIMARY KEY, " + PgSql.quote(k.column()) + " integer NOT NULL, other text);";
        MigrationPackage pkg = ConstraintCases.compile(Migration.on(k.table()).dropNotNull(k.column()).plan(), ddl, server.major(),
                DowntimeTolerance.none(), k.rows(), k.table());
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
            execute(c, ddl, "INSERT INTO " + PgSql.quote(k.table()) + " SELECT g, g * 7, 'o' || g FROM generate_series(1, " + k.rows() + ") g");
            Schema before = introspect(c);
            String data = checksum(c, k.table(), "id", k.column(), "other");
            new StepRunner(c).run(pkg.up().steps());
            assertThat(introspect(c)).isEqualTo(pkg.schemaAfter());
            new StepRunner(c).run(pkg.down().script().steps());
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).as("the down script can run twice").isEqualTo(before);
            assertThat(checksum(c, k.table(), "id", k.column(), "other")).isEqualTo(data);
        }
        assertThat(PackageChecks.simulate(PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps()), pkg.down().script().steps()))
                .isEqualTo(pkg.schemaBefore());
    }
}
