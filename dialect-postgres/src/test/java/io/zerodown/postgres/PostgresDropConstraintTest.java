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
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/** DROP CONSTRAINT of every kind on PostgreSQL, and the down script that adds each back the safe way. */
class PostgresDropConstraintTest {

    static final String DDL = """
            CREATE TABLE "p a" (id bigint PRIMARY KEY, code text CONSTRAINT "code key" UNIQUE, label text);
            CREATE TABLE "c""d" (id bigint CONSTRAINT "c pk" PRIMARY KEY, "p id" bigint CONSTRAINT "to p" REFERENCES "p a" ON DELETE CASCADE,
                                 qty integer CONSTRAINT "qty positive" CHECK (qty > 0), note text);
            ALTER TABLE "c""d" ADD CONSTRAINT "short note" CHECK (length(note) < 10) NOT VALID;
            """;

    static PackageChecks.Setup fill(int rows) {
        return c -> execute(c, DDL,
                "INSERT INTO \"p a\" SELECT g, 'c' || g, 'l' || g FROM generate_series(1, " + rows + ") g",
                "INSERT INTO \"c\"\"d\" SELECT g, CASE WHEN g % 5 = 0 THEN NULL ELSE g END, g % 50 + 1, 'n' || (g % 1000) "
                        + "FROM generate_series(1, " + rows + ") g");
    }

    static MigrationPackage compile(MigrationPlan plan, int major) {
        return ConstraintCases.compile(plan, DDL, major, DowntimeTolerance.none(), 1_000_000, "p a", "c\"d");
    }

    static Map<String, MigrationPlan> variants() {
        Map<String, MigrationPlan> variants = new LinkedHashMap<>();
        variants.put("check", Migration.on("c\"d").dropConstraint("qty positive").plan());
        variants.put("check_not_valid", Migration.on("c\"d").dropConstraint("short note").plan());
        variants.put("foreign_key", Migration.on("c\"d").dropConstraint("to p").plan());
        variants.put("unique", Migration.on("p a").dropConstraint("code key").plan());
        variants.put("primary_key", Migration.on("c\"d").dropConstraint("c pk").plan());
        return variants;
    }

    @Test
    void goldenFiles() {
        variants().forEach((name, plan) -> GoldenFiles.assertMatches("drop_constraint/" + name + ".sql",
                ConstraintCases.golden(compile(plan, 15))));
    }

    @Test
    void locksClaimedPerKind() {
        MigrationPackage fk = compile(variants().get("foreign_key"), 15);
        assertThat(fk.up().steps()).singleElement().satisfies(step -> assertThat(step.locks())
                .extracting(LockClaim::relation, LockClaim::mode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c\"d", PgLock.ACCESS_EXCLUSIVE),
                        org.assertj.core.groups.Tuple.tuple("p a", PgLock.ACCESS_EXCLUSIVE)));
        assertThat(fk.down().script().steps()).extracting(Step::id).containsExactly("1.c\"d.drop_to_p.undo_add", "1.c\"d.drop_to_p.undo_validate");
        assertThat(compile(variants().get("check_not_valid"), 15).down().script().steps()).as("re-added NOT VALID, as it was")
                .extracting(Step::id).containsExactly("1.c\"d.drop_short_note.undo_add");
        assertThat(compile(variants().get("unique"), 15).down().script().steps()).extracting(Step::id).containsExactly(
                "1.p a.index_code_key.repair", "1.p a.index_code_key.build", "1.p a.drop_code_key.undo_attach");
        assertThat(compile(variants().get("primary_key"), 18).down().script().sql())
                .contains("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"c pk\" ON \"c\"\"d\" USING btree (\"id\")")
                .contains("ADD CONSTRAINT \"c pk\" PRIMARY KEY USING INDEX \"c pk\"");
        for (MigrationPlan plan : variants().values()) {
            assertThat(compile(plan, 15).up().blockingLockTime()).isZero();
        }
    }

    @Test
    void locksAndRoundTripOnOldestAndNewest() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            for (MigrationPlan plan : variants().values()) {
                PackageChecks.locksAndRoundTrip(server, fill(1_000), compile(plan, server.major()));
            }
        }
    }

    @Test
    void durationClassesOnNewest() throws Exception {
        for (MigrationPlan plan : List.of(variants().get("foreign_key"), variants().get("unique"))) {
            PackageChecks.durationClasses(PostgresServers.newest(), PostgresDropConstraintTest::fill, 2_000, 200_000, compile(plan, 18));
        }
    }

    @Test
    void theDownFailsOnWhatTheConstraintUsedToRefuseAndWorksOnceFixed() throws Exception {
        PostgresServer server = PostgresServers.reference();
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
            fill(200).apply(c);
            Schema before = introspect(c);
            String data = checksum(c, "c\"d", "id", "p id", "qty", "note");
            MigrationPackage unique = compile(variants().get("unique"), 15);
            MigrationPackage fk = compile(variants().get("foreign_key"), 15);
            MigrationPackage check = compile(variants().get("check"), 15);
            for (MigrationPackage pkg : List.of(unique, fk, check)) {
                assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
                new StepRunner(c).run(pkg.up().steps());
                assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            }
            assertThat(checksum(c, "c\"d", "id", "p id", "qty", "note")).isEqualTo(data);
            execute(c, "INSERT INTO \"p a\" VALUES (-1, 'c1', 'duplicate code')",
                    "INSERT INTO \"c\"\"d\" VALUES (-1, 777777, 0, 'x')");

            assertThat(ConstraintCases.failureOf(c, unique.down().script().steps())).contains("could not create unique index");
            assertThat(queryString(c, "SELECT count(*) FROM pg_index WHERE NOT indisvalid")).as("the failed build left it INVALID").isEqualTo("1");
            assertThat(ConstraintCases.failureOf(c, fk.down().script().steps())).contains("violates foreign key constraint");
            assertThat(ConstraintCases.failureOf(c, check.down().script().steps())).contains("is violated by some row");

            execute(c, "DELETE FROM \"p a\" WHERE id = -1", "DELETE FROM \"c\"\"d\" WHERE id = -1");
            for (MigrationPackage pkg : List.of(check, fk, unique)) {
                new StepRunner(c).run(pkg.down().script().steps());
            }
            assertThat(introspect(c)).as("the invalid index was dropped and rebuilt").isEqualTo(before);
            assertThat(checksum(c, "c\"d", "id", "p id", "qty", "note")).isEqualTo(data);
        }
    }

    @Test
    void preChecksCatchWhatTheDownCouldNotRebuildOrWhatDependsOnIt() throws Exception {
        MigrationPackage unique = compile(variants().get("unique"), 15);
        try (TestDatabase db = PostgresServers.reference().createDatabase(); Connection c = db.connect()) {
            fill(10).apply(c);
            assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, unique.execution().preChecks()))).isEmpty();
            execute(c, "ALTER TABLE \"p a\" DROP CONSTRAINT \"code key\"",
                    "ALTER TABLE \"p a\" ADD CONSTRAINT \"code key\" UNIQUE (code) INCLUDE (label)");
            assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, unique.execution().preChecks())))
                    .singleElement().asString().contains("plain unique btree");
            execute(c, "ALTER TABLE \"p a\" DROP CONSTRAINT \"code key\"", "ALTER TABLE \"p a\" ADD CONSTRAINT \"code key\" UNIQUE (code)",
                    "CREATE TABLE other (code text REFERENCES \"p a\" (code))");
            assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, unique.execution().preChecks())))
                    .singleElement().asString().contains("No foreign key depends on the index of code key");
        }
    }

    @Test
    void misuseIsReportedWithEveryProblem() {
        MigrationPlan plan = Migration.on("p a").dropConstraint("p a_pkey").dropConstraint("nope").on("c\"d").dropConstraint("c pk")
                .dropConstraint("c pk").plan();
        assertThatThrownBy(() -> compile(plan, 15))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly("primary key \"p a_pkey\" is referenced by foreign key \"to p\" of table \"c\"d\": drop that "
                                        + "foreign key first (dropConstraint on its table), or keep the constraint",
                                "no constraint \"nope\" on table \"p a\" (it has \"code key\", \"p a_pkey\"); a NOT NULL is not dropped "
                                        + "by name here: use dropNotNull(column)",
                                "no constraint \"c pk\" on table \"c\"d\" (it has \"qty positive\", \"short note\", \"to p\"); a NOT NULL "
                                        + "is not dropped by name here: use dropNotNull(column)"));
    }

    record Case(String table, String column, boolean unique, int rows, boolean newest) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> names = Arbitraries.of("t", "a\"b", "x y", "$zerodown$", "Ünï Côde", "constraint");
        return Combinators.combine(names, names, Arbitraries.of(true, false), Arbitraries.integers().between(0, 200), Arbitraries.of(true, false))
                .as((t, col, unique, rows, newest) -> new Case(t, col + "_c", unique, rows, newest));
    }

    @Property(tries = 6, shrinking = ShrinkingMode.OFF)
    void roundTripKeepsDataAndCatalog(@ForAll("cases") Case k) throws Exception {
        PostgresServer server = k.newest() ? PostgresServers.newest() : PostgresServers.oldest();
        String name = k.column() + (k.unique() ? " key" : " check");
        String ddl = "CREATE TABLE " + PgSql.quote(k.table()) + " (id bigint PRIMARY KEY, " + PgSql.quote(k.column()) + " integer "
                + "CONSTRAINT " + PgSql.quote(name) + (k.unique() ? " UNIQUE" : " CHECK (" + PgSql.quote(k.column()) + " <> 0)") + ", other text);";
        MigrationPackage pkg = ConstraintCases.compile(Migration.on(k.table()).dropConstraint(name).plan(), ddl, server.major(),
                DowntimeTolerance.none(), k.rows(), k.table());
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
            execute(c, ddl, "INSERT INTO " + PgSql.quote(k.table()) + " SELECT g, g, 'o' || g FROM generate_series(1, " + k.rows() + ") g");
            Schema before = introspect(c);
            String data = checksum(c, k.table(), "id", k.column(), "other");
            assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
            new StepRunner(c).run(pkg.up().steps());
            new StepRunner(c).run(pkg.up().steps());
            assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(io.zerodown.postgres.testing.ComparableSchema.of(introspect(c))).isEqualTo(io.zerodown.postgres.testing.ComparableSchema.of(pkg.schemaAfter()));
            new StepRunner(c).run(pkg.down().script().steps());
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, k.table(), "id", k.column(), "other")).isEqualTo(data);
        }
        assertThat(PackageChecks.simulate(PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps()), pkg.down().script().steps()))
                .isEqualTo(pkg.schemaBefore());
    }
}
