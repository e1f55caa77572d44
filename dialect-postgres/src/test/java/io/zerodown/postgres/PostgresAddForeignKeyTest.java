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
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.schema.Constraint.ReferentialAction;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.LockClaim;
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
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/** ADD FOREIGN KEY on PostgreSQL: index built concurrently, NOT VALID, then VALIDATE; or directly. */
class PostgresAddForeignKeyTest {

    static final String DDL = """
            CREATE TABLE "p a" (id bigint PRIMARY KEY, code text NOT NULL UNIQUE, region integer NOT NULL, label text,
                                UNIQUE (region, code));
            CREATE TABLE "c""d" (id bigint PRIMARY KEY, "p id" bigint, code text, region integer, other text, parent bigint,
                                 amount numeric);
            CREATE INDEX c_code_idx ON "c""d" (code, id);
            """;

    /** {@code rows} parents and as many children, each child referencing an existing parent (or none). */
    static PackageChecks.Setup fill(int rows) {
        return c -> execute(c, DDL,
                "INSERT INTO \"p a\" SELECT g, 'c' || g, g % 7, 'l' || g FROM generate_series(1, " + rows + ") g",
                "INSERT INTO \"c\"\"d\" SELECT g, CASE WHEN g % 10 = 0 THEN NULL ELSE (g * 13) % " + rows + " + 1 END, "
                        + "'c' || ((g * 13) % " + rows + " + 1), ((g * 13) % " + rows + " + 1) % 7, 'o' || g, "
                        + "CASE WHEN g > 1 THEN g / 2 END, g FROM generate_series(1, " + rows + ") g");
    }

    static MigrationPackage compile(MigrationPlan plan, int major, DowntimeTolerance downtime) {
        return ConstraintCases.compile(plan, DDL, major, downtime, 1_000_000, "p a", "c\"d");
    }

    static MigrationPlan plain() {
        return Migration.on("c\"d").addForeignKey("p id").references("p a").onDelete(ReferentialAction.CASCADE).plan();
    }

    /** The variants that emit different SQL. */
    static Map<String, MigrationPlan> variants() {
        return Map.of(
                "online_with_index", plain(),
                "online_without_index", Migration.on("c\"d").addForeignKey("p id").references("p a", "id").withoutIndex().plan(),
                "online_existing_index", Migration.on("c\"d").addForeignKey("code").references("p a", "code").named("fk code").plan(),
                "composite", Migration.on("c\"d").addForeignKey("region", "code").references("p a", "region", "code")
                        .onUpdate(ReferentialAction.CASCADE).onDelete(ReferentialAction.SET_NULL).plan(),
                "self_reference", Migration.on("c\"d").addForeignKey("parent").references("c\"d").plan());
    }

    @Test
    void goldenFiles() {
        variants().forEach((name, plan) -> GoldenFiles.assertMatches("add_foreign_key/" + name + ".sql",
                ConstraintCases.golden(compile(plan, 15, DowntimeTolerance.none()))));
        GoldenFiles.assertMatches("add_foreign_key/direct.sql", ConstraintCases.golden(compile(plain(), 15, DowntimeTolerance.devOnly())));
    }

    @Test
    void stepsLocksAndStrategy() {
        MigrationPackage online = compile(plain(), 15, DowntimeTolerance.none());
        assertThat(online.up().steps()).extracting(Step::id).containsExactly("1.c\"d.index_c_d_p_id_idx.repair",
                "1.c\"d.index_c_d_p_id_idx.build", "1.c\"d.fk_c_d_p_id_fkey.add", "1.c\"d.fk_c_d_p_id_fkey.validate");
        assertThat(online.up().steps().get(2).locks()).extracting(LockClaim::relation, LockClaim::mode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c\"d", PgLock.SHARE_ROW_EXCLUSIVE),
                        org.assertj.core.groups.Tuple.tuple("p a", PgLock.SHARE_ROW_EXCLUSIVE));
        assertThat(online.up().steps().get(3).locks()).extracting(LockClaim::relation, LockClaim::mode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c\"d", PgLock.SHARE_UPDATE_EXCLUSIVE),
                        org.assertj.core.groups.Tuple.tuple("p a", PgLock.ROW_SHARE));
        assertThat(online.up().blockingLockTime()).isZero();
        assertThat(online.strategy().techniques()).containsExactly(Technique.NOT_VALID_THEN_VALIDATE, Technique.CONCURRENT_INDEX);
        assertThat(online.up().sql()).as("references() without columns means the primary key")
                .contains("FOREIGN KEY (\"p id\") REFERENCES \"p a\" (\"id\") ON DELETE CASCADE NOT VALID");
        assertThat(online.schemaAfter().requireTable(io.zerodown.model.TableName.of("c\"d")).index(io.zerodown.model.IndexName.of("c\"d_p id_idx")))
                .isPresent();

        MigrationPackage existing = compile(variants().get("online_existing_index"), 15, DowntimeTolerance.none());
        assertThat(existing.up().steps()).hasSize(2);
        assertThat(existing.strategy().reasons()).anyMatch(r -> r.equals("No index is built: c_code_idx already starts with code."));
        MigrationPackage without = compile(variants().get("online_without_index"), 15, DowntimeTolerance.none());
        assertThat(without.risk().hazards()).anyMatch(h -> h.title().equals("Deletes in p a scan c\"d"));

        MigrationPackage self = compile(variants().get("self_reference"), 15, DowntimeTolerance.none());
        assertThat(self.up().steps().get(2).locks()).as("one claim for a table referencing itself").hasSize(1);

        MigrationPackage direct = compile(plain(), 15, DowntimeTolerance.devOnly());
        assertThat(direct.strategy().techniques()).containsExactly(Technique.DIRECT);
        assertThat(direct.up().sql()).doesNotContain("NOT VALID").doesNotContain("CONCURRENTLY");
    }

    @Test
    void locksAndRoundTripOnOldestAndNewest() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            for (String variant : List.of("online_with_index", "online_without_index")) {
                PackageChecks.locksAndRoundTrip(server, fill(1_000), compile(variants().get(variant), server.major(), DowntimeTolerance.none()));
            }
            PackageChecks.locksAndRoundTrip(server, fill(1_000), compile(plain(), server.major(), DowntimeTolerance.devOnly()));
        }
        for (String variant : List.of("online_existing_index", "composite", "self_reference")) {
            PackageChecks.locksAndRoundTrip(PostgresServers.newest(), fill(1_000), compile(variants().get(variant), 18, DowntimeTolerance.none()));
        }
    }

    @Test
    void durationClassesOnNewest() throws Exception {
        for (DowntimeTolerance downtime : List.of(DowntimeTolerance.none(), DowntimeTolerance.devOnly())) {
            PackageChecks.durationClasses(PostgresServers.newest(), PostgresAddForeignKeyTest::fill, 2_000, 200_000,
                    compile(plain(), 18, downtime));
        }
    }

    @Test
    void orphansStopTheValidationUntilFixedAndTheForeignKeyWorksAfterwards() throws Exception {
        MigrationPackage pkg = compile(plain(), 15, DowntimeTolerance.none());
        try (TestDatabase db = PostgresServers.reference().createDatabase(); Connection c = db.connect()) {
            fill(300).apply(c);
            Schema before = introspect(c);
            String data = checksum(c, "c\"d", "id", "p id", "code", "region", "other");
            execute(c, "INSERT INTO \"c\"\"d\" (id, \"p id\") VALUES (-1, 999999)");
            assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.execution().preChecks())))
                    .anyMatch(f -> f.contains("references a missing p a row"));
            assertThat(ConstraintCases.failureOf(c, pkg.up().steps())).contains("violates foreign key constraint");
            assertThat(queryString(c, "SELECT convalidated FROM pg_constraint WHERE conname = 'c\"d_p id_fkey'")).isEqualTo("f");
            assertThatThrownBy(() -> execute(c, "INSERT INTO \"c\"\"d\" (id, \"p id\") VALUES (-2, 888888)"))
                    .as("new orphans are refused while NOT VALID").hasMessageContaining("violates foreign key constraint");
            execute(c, "DELETE FROM \"c\"\"d\" WHERE id = -1");
            new StepRunner(c).run(pkg.up().steps());
            assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(checksum(c, "c\"d", "id", "p id", "code", "region", "other")).isEqualTo(data);

            long children = queryLong(c, "SELECT count(*) FROM \"c\"\"d\" WHERE \"p id\" = 14");
            assertThat(children).isPositive();
            execute(c, "DELETE FROM \"p a\" WHERE id = 14");
            assertThat(queryLong(c, "SELECT count(*) FROM \"c\"\"d\" WHERE \"p id\" = 14")).as("ON DELETE CASCADE").isZero();
            execute(c, "INSERT INTO \"p a\" VALUES (14, 'c14', 0, 'back')");
            execute(c, "INSERT INTO \"c\"\"d\" SELECT g, 14, 'c14', 0, 'o' || g, NULL, g FROM generate_series(-" + children + ", -1) g");

            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
        }
    }

    @Test
    void aPartitionedChildFailsItsPreCheckWhereTheOnlineSequenceCannotRun() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                execute(c, "CREATE TABLE \"p a\" (id bigint PRIMARY KEY, code text NOT NULL UNIQUE, region integer NOT NULL, label text, "
                                + "UNIQUE (region, code))",
                        "CREATE TABLE \"c\"\"d\" (id bigint, \"p id\" bigint, code text, region integer, other text, parent bigint, "
                                + "amount numeric) PARTITION BY RANGE (id)",
                        "CREATE TABLE c1 PARTITION OF \"c\"\"d\" FOR VALUES FROM (0) TO (100)");
                for (boolean withIndex : List.of(true, false)) {
                    MigrationPlan plan = withIndex ? plain() : variants().get("online_without_index");
                    List<String> failures = ReferenceCaseOnServerTest.failures(CheckRunner.run(c,
                            compile(plan, server.major(), DowntimeTolerance.none()).execution().preChecks()));
                    assertThat(failures.stream().anyMatch(f -> f.contains("is not a partitioned table")))
                            .as("with index %s on %s", withIndex, server.major()).isEqualTo(withIndex || server.major() < 18);
                }
                boolean accepted;
                try {
                    execute(c, "ALTER TABLE \"c\"\"d\" ADD FOREIGN KEY (\"p id\") REFERENCES \"p a\" NOT VALID");
                    accepted = true;
                } catch (java.sql.SQLException e) {
                    assertThat(e.getMessage()).contains("cannot add NOT VALID foreign key on partitioned table");
                    accepted = false;
                }
                assertThat(accepted).as("the fact behind the pre-check, on %s", server.major()).isEqualTo(server.major() >= 18);
            }
        }
    }

    @Test
    void psqlRunsTheRenderedScriptsTwice() throws Exception {
        if (!"true".equals(System.getenv("ZERODOWN_REQUIRE_PSQL"))) {
            org.assertj.core.api.Assumptions.assumeThat(PgTestSupport.psqlAvailable()).as("psql is not installed").isTrue();
        }
        MigrationPackage pkg = compile(plain(), 15, DowntimeTolerance.none());
        try (TestDatabase db = PostgresServers.reference().createDatabase(); Connection c = db.connect()) {
            fill(500).apply(c);
            Schema before = introspect(c);
            assertThat(PgTestSupport.psql(db, pkg.up().sql())).contains("zerodown: up script complete");
            assertThat(PgTestSupport.psql(db, pkg.up().sql())).contains("step 1 not needed, skipped");
            assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            PgTestSupport.psql(db, pkg.down().script().sql());
            PgTestSupport.psql(db, pkg.down().script().sql());
            assertThat(introspect(c)).isEqualTo(before);
        }
    }

    @Test
    void misuseIsReportedWithEveryProblem() {
        MigrationPlan plan = Migration.on("c\"d")
                .addForeignKey("other").references("p a", "id")
                .addForeignKey("code").references("p a", "label")
                .addForeignKey("region").references("p a", "region", "code")
                .addForeignKey("p id").references("p a").onDelete(ReferentialAction.SET_NULL).named("x".repeat(64))
                .addForeignKey("amount").references("p a", "id")
                .on("p a").addForeignKey("region").references("c\"d").onDelete(ReferentialAction.SET_NULL)
                .plan();
        assertThatThrownBy(() -> compile(plan, 15, DowntimeTolerance.none()))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly(
                                "column \"other\" (text) cannot reference \"p a\".\"id\" (bigint): PostgreSQL has no equality between "
                                        + "these types for a foreign key. Change one column's type first so that both are alike",
                                "the foreign key references [label] of table \"p a\", which is neither its primary key nor unique: "
                                        + "reference a primary key or unique constraint, or add one first (addUnique(…) on \"p a\")",
                                "a foreign key needs as many referenced columns as columns: 1 and 2",
                                "constraint name \"" + "x".repeat(64) + "\" is longer than 63 bytes; PostgreSQL would silently cut it. "
                                        + "Choose a shorter one with named(…)",
                                "column \"amount\" (numeric) cannot reference \"p a\".\"id\" (bigint): PostgreSQL has no equality between "
                                        + "these types for a foreign key. Change one column's type first so that both are alike",
                                "ON DELETE SET NULL would write NULL into column \"region\", which is NOT NULL: choose another action "
                                        + "or drop NOT NULL first"));
    }

    @Test
    void typeCompatibilityFollowsWhatTheServerAccepts() {
        assertThat(PostgresAddForeignKey.compatible(io.zerodown.model.SqlType.of("integer"), io.zerodown.model.SqlType.of("bigint"))).isTrue();
        assertThat(PostgresAddForeignKey.compatible(io.zerodown.model.SqlType.of("integer"), io.zerodown.model.SqlType.of("numeric"))).isTrue();
        assertThat(PostgresAddForeignKey.compatible(io.zerodown.model.SqlType.of("numeric"), io.zerodown.model.SqlType.of("integer"))).isFalse();
        assertThat(PostgresAddForeignKey.compatible(io.zerodown.model.SqlType.of("character varying", 10), io.zerodown.model.SqlType.of("text"))).isTrue();
        assertThat(PostgresAddForeignKey.compatible(io.zerodown.model.SqlType.of("uuid"), io.zerodown.model.SqlType.of("text"))).isFalse();
        assertThat(PostgresAddForeignKey.compatible(io.zerodown.model.SqlType.of("date"), io.zerodown.model.SqlType.of("timestamp with time zone"))).isTrue();
        assertThat(PostgresAddForeignKey.compatible(io.zerodown.model.SqlType.of("citext"), io.zerodown.model.SqlType.of("text")))
                .as("unknown to the table: left to the server").isTrue();
    }

    record Case(String parent, String child, String column, int rows, boolean index, boolean dev, boolean newest) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> names = Arbitraries.of("t", "a\"b", "x y", "$zerodown$", "Ünï Côde", "references");
        return Combinators.combine(names, names, names, Arbitraries.integers().between(0, 200), Arbitraries.of(true, false),
                        Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((p, ch, col, rows, index, dev, newest) -> new Case(p + "_p", ch + "_c", col + "_ref", rows, index, dev, newest));
    }

    @Property(tries = 6, shrinking = ShrinkingMode.OFF)
    void roundTripKeepsDataAndCatalog(@ForAll("cases") Case k) throws Exception {
        PostgresServer server = k.newest() ? PostgresServers.newest() : PostgresServers.oldest();
        String ddl = "CREATE TABLE " + PgSql.quote(k.parent()) + " (id integer PRIMARY KEY, name text);\n"
                + "CREATE TABLE " + PgSql.quote(k.child()) + " (id bigint PRIMARY KEY, " + PgSql.quote(k.column()) + " bigint, other text);";
        var fk = Migration.on(k.child()).addForeignKey(k.column()).references(k.parent());
        MigrationPlan plan = k.index() ? fk.plan() : fk.withoutIndex().plan();
        MigrationPackage pkg = ConstraintCases.compile(plan, ddl, server.major(), k.dev() ? DowntimeTolerance.devOnly() : DowntimeTolerance.none(),
                k.rows(), k.parent(), k.child());
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
            execute(c, ddl, "INSERT INTO " + PgSql.quote(k.parent()) + " SELECT g, 'n' || g FROM generate_series(1, " + k.rows() + ") g",
                    "INSERT INTO " + PgSql.quote(k.child()) + " SELECT g, CASE WHEN g % 3 = 0 THEN NULL ELSE g END, 'o' || g "
                            + "FROM generate_series(1, " + k.rows() + ") g");
            Schema before = introspect(c);
            String data = checksum(c, k.child(), "id", k.column(), "other");
            assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
            new StepRunner(c).run(pkg.up().steps().subList(0, 1));
            new StepRunner(c).run(pkg.up().steps());
            assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
            assertThat(checksum(c, k.child(), "id", k.column(), "other")).isEqualTo(data);
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
        }
        assertThat(PackageChecks.simulate(PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps()), pkg.down().script().steps()))
                .isEqualTo(pkg.schemaBefore());
    }
}
