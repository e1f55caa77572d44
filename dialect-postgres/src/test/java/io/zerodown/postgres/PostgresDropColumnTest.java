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
import io.zerodown.Zerodown;
import io.zerodown.model.ColumnName;
import io.zerodown.model.TableName;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.ReadPattern;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.context.Target;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
import io.zerodown.postgres.testing.ComparableSchema;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/**
 * DROP COLUMN on PostgreSQL: parked (renamed, NOT NULL dropped where needed) with a rollback
 * period and dropped by the contract script; dropped by the contract script at once when one-way.
 */
class PostgresDropColumnTest {

    static final String T = "a\"b";
    static final String DDL = "CREATE TABLE p (id bigint PRIMARY KEY);\n"
            + "CREATE TABLE \"a\"\"b\" (id bigint PRIMARY KEY, \"x y\" text NOT NULL, d integer NOT NULL DEFAULT 7, s serial, "
            + "pid bigint REFERENCES p (id), note text);";

    static PackageChecks.Setup fill(int rows) {
        return c -> execute(c, DDL, "INSERT INTO p SELECT g FROM generate_series(1, 10) g",
                "INSERT INTO \"a\"\"b\" (id, \"x y\", d, pid, note) SELECT g, 'v' || g, g % 5, 1 + g % 10, CASE WHEN g % 3 = 0 THEN NULL "
                        + "ELSE 'n' || g END FROM generate_series(1, " + rows + ") g");
    }

    static MigrationContext context(int major, RollbackRequirement rollback, DowntimeTolerance downtime, long rows, String... tables) {
        MigrationContext.Builder builder = MigrationContext.builder()
                .name("drop_column")
                .author("test@example.com")
                .date(LocalDate.of(2026, 1, 1))
                .target(Target.postgres(major))
                .downtime(downtime)
                .rollback(rollback);
        for (String table : tables) {
            builder.profile(table, TableProfile.of(rows, 50, ReadPattern.MIXED));
        }
        return builder.build();
    }

    static final RollbackRequirement WEEK = RollbackRequirement.reversibleFor(Duration.ofDays(7));

    static MigrationPackage compile(String column, int major, RollbackRequirement rollback) {
        return compile(Migration.on(T).dropColumn(column).plan(), DDL, major, rollback);
    }

    static MigrationPackage compile(MigrationPlan plan, String ddl, int major, RollbackRequirement rollback) {
        return Zerodown.compile(plan, ddl, context(major, rollback, DowntimeTolerance.none(), 1_000_000, plan.operations().get(0).table().value()));
    }

    static void assertDownUndoesUpInMemory(MigrationPackage pkg) {
        Schema up = PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps());
        assertThat(PackageChecks.simulate(up, pkg.down().script().steps())).as("down undoes up in memory").isEqualTo(pkg.schemaBefore());
        assertThat(PackageChecks.simulate(up, pkg.contract().steps())).as("contract after up").isEqualTo(pkg.schemaAfter());
    }

    @Test
    void goldenFiles() {
        GoldenFiles.assertMatches("drop_column/reversible_12_to_17.sql", ConstraintCases.golden(compile("x y", 15, WEEK)));
        GoldenFiles.assertMatches("drop_column/reversible_18.sql", ConstraintCases.golden(compile("x y", 18, WEEK)));
        GoldenFiles.assertMatches("drop_column/reversible_with_default.sql", ConstraintCases.golden(compile("d", 18, WEEK)));
        GoldenFiles.assertMatches("drop_column/one_way.sql", ConstraintCases.golden(compile("x y", 18, RollbackRequirement.oneWay())));
        for (String column : List.of("x y", "d", "s", "note")) {
            for (int major : List.of(12, 18)) {
                assertDownUndoesUpInMemory(compile(column, major, WEEK));
                assertDownUndoesUpInMemory(compile(column, major, RollbackRequirement.oneWay()));
            }
        }
    }

    @Test
    void reversibleParksInTheUpScriptAndDropsInTheContract() {
        MigrationPackage pkg = compile("x y", 15, WEEK);
        assertThat(pkg.up().steps()).extracting(Step::id).containsExactly("1.a\"b.drop_column_x_y.park");
        assertThat(pkg.contract().steps()).extracting(Step::id).containsExactly("1.a\"b.drop_column_x_y.drop");
        assertThat(pkg.up().blockingLockTime()).isZero();
        assertThat(pkg.down().script().steps()).extracting(Step::id).containsExactly("1.a\"b.drop_column_x_y.undo_park",
                "1.a\"b.drop_column_x_y.undo_add_check", "1.a\"b.drop_column_x_y.undo_validate_check",
                "1.a\"b.drop_column_x_y.undo_set_not_null");
        Schema afterUp = PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps());
        assertThat(afterUp.requireTable(TableName.of(T)).column(ColumnName.of("zd_dropped_x y"))).get()
                .extracting(Column::nullable).isEqualTo(true);
        assertThat(pkg.schemaAfter().requireTable(TableName.of(T)).columns()).extracting(c -> c.name().value())
                .containsExactly("id", "d", "s", "pid", "note");
        assertThat(pkg.down().irreversible()).singleElement().asString().contains("DROP COLUMN cannot be undone");
        assertThat(pkg.notes()).anyMatch(n -> n.contains("ALTER TABLE \"a\"\"b\" DROP COLUMN \"zd_dropped_x y\""));

        MigrationPackage withDefault = compile("d", 15, WEEK);
        assertThat(withDefault.down().script().steps()).extracting(Step::id).containsExactly("1.a\"b.drop_column_d.undo_park");
        assertThat(withDefault.up().steps().get(0).statements().get(0)).doesNotContain("DROP NOT NULL");

        MigrationPackage dev = Zerodown.compile(Migration.on(T).dropColumn("x y").plan(), DDL,
                context(15, WEEK, DowntimeTolerance.devOnly(), 1_000_000, T));
        assertThat(dev.down().script().steps()).extracting(Step::id).containsExactly("1.a\"b.drop_column_x_y.undo_park",
                "1.a\"b.drop_column_x_y.undo_set_not_null");
    }

    @Test
    void oneWayDropsInTheContractOnly() {
        MigrationPackage pkg = compile("x y", 18, RollbackRequirement.oneWay());
        assertThat(pkg.up().steps()).isEmpty();
        assertThat(pkg.down().script().steps()).isEmpty();
        Step drop = pkg.contract().steps().get(0);
        assertThat(drop.inverse()).isInstanceOfSatisfying(Inverse.Steps.class, s -> assertThat(s.dataLoss()).get().asString()
                .contains("the values of a\"b.x y are gone").contains("nullable, without default (it was NOT NULL"));
        assertThat(pkg.risk().hazards()).anyMatch(h -> h.title().equals("The values are lost for good"));
        assertThat(pkg.appChanges()).first().satisfies(a -> assertThat(a.change()).contains("ignored_columns").contains("JPA"));
        assertThat(pkg.down().contractDown().script().steps()).extracting(Step::id).containsExactly("1.a\"b.drop_column_x_y.undo_drop");
        assertThat(pkg.down().contractDown().script().fileName()).isEqualTo("drop_column.contract-down.sql");
        assertThat(pkg.down().contractDown().dataLoss()).singleElement().asString().startsWith("Drop the column a\"b.x y: the values of "
                + "a\"b.x y are gone");
        assertThat(pkg.down().irreversible()).singleElement().asString().contains("the contract-down script "
                + "drop_column.contract-down.sql undoes it, losing data: the values of a\"b.x y are gone");
        assertThat(pkg.files()).containsKey("drop_column.contract-down.sql");
        assertThat(pkg.down().contractDown().script().sql()).contains("-- Data loss: Drop the column a\"b.x y: the values of a\"b.x y are gone");
        GoldenFiles.assertMatches("drop_column/one_way.md", pkg.toMarkdown());
        assertThat(compile("x y", 18, WEEK).down().contractDown().isEmpty()).as("the parked column's drop cannot be undone").isTrue();
    }

    /**
     * The columns the contract-down script of a one-way drop of {@code x y}, {@code note} and {@code d} promises: each comes back
     * at the end of the table, in the reverse order of the drops, {@code x y} nullable (NOT NULL without a default cannot hold
     * for empty rows), the others as they were.
     */
    static Schema promisedAfterContractDown(Schema before) {
        io.zerodown.model.schema.Table table = before.requireTable(TableName.of(T));
        List<String> dropped = List.of("d", "note", "x y");
        List<Column> columns = new java.util.ArrayList<>(table.columns().stream().filter(col -> !dropped.contains(col.name().value())).toList());
        for (String name : dropped) {
            Column column = table.column(ColumnName.of(name)).orElseThrow();
            columns.add(name.equals("x y") ? column.withNullable(true) : column);
        }
        return before.withTable(table.withColumns(columns));
    }

    @Test
    void oneWayContractDownBringsTheColumnsBackEmptyOnOldestAndNewest() throws Exception {
        MigrationPlan plan = Migration.on(T).dropColumn("x y").dropColumn("note").dropColumn("d").plan();
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = compile(plan, DDL, server.major(), RollbackRequirement.oneWay());
            List<Step> undo = pkg.down().contractDown().script().steps();
            assertThat(undo).extracting(Step::id).containsExactly("3.a\"b.drop_column_d.undo_drop", "2.a\"b.drop_column_note.undo_drop",
                    "1.a\"b.drop_column_x_y.undo_drop");
            TestDatabase db = KeysFixtures.emptyDatabase(server);
            try (Connection c = db.connect()) {
                fill(300).apply(c);
                Schema before = introspect(c);
                new StepRunner(c).run(pkg.up().steps());
                new StepRunner(c).run(pkg.contract().steps());
                execute(c, "INSERT INTO \"a\"\"b\" (id, pid) VALUES (-1, 1)");
                new StepRunner(c).run(undo.subList(0, 1));
                new StepRunner(c).run(undo);
                new StepRunner(c).run(undo);
                assertThat(ComparableSchema.of(introspect(c))).as("as simulated").isEqualTo(ComparableSchema.of(PackageChecks.simulate(
                        pkg.schemaAfter(), undo)));
                assertThat(introspect(c)).as("the schema before, as far as the inverses promise").isEqualTo(promisedAfterContractDown(before));
                assertThat(queryLong(c, "SELECT count(*) FROM \"a\"\"b\" WHERE \"x y\" IS NULL AND note IS NULL AND d = 7"))
                        .as("every row, old or written after the contract, comes back empty or with the default").isEqualTo(301);
                new StepRunner(c).run(pkg.down().script().steps());
                execute(c, "INSERT INTO \"a\"\"b\" (id, \"x y\", pid, note) VALUES (-2, 'back', 1, 'n')");
                assertThat(queryString(c, "SELECT \"x y\" || note || d FROM \"a\"\"b\" WHERE id = -2")).isEqualTo("backn7");
            }
        }
    }

    @Test
    void psqlRunsTheRenderedContractDownScriptTwiceOnOldestAndNewest() throws Exception {
        if (!"true".equals(System.getenv("ZERODOWN_REQUIRE_PSQL"))) {
            org.assertj.core.api.Assumptions.assumeThat(PgTestSupport.psqlAvailable()).as("psql is not installed").isTrue();
        }
        MigrationPlan plan = Migration.on(T).dropColumn("x y").dropColumn("note").dropColumn("d").plan();
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = compile(plan, DDL, server.major(), RollbackRequirement.oneWay());
            TestDatabase db = KeysFixtures.emptyDatabase(server);
            try (Connection c = db.connect()) {
                fill(100).apply(c);
                Schema before = introspect(c);
                assertThat(pkg.up().sql()).as("nothing runs before the contract").isEmpty();
                PgTestSupport.psql(db, pkg.contract().sql());
                assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
                String contractDown = pkg.files().get("drop_column.contract-down.sql");
                PgTestSupport.psql(db, contractDown);
                assertThat(PgTestSupport.psql(db, contractDown)).contains("zerodown: contract-down script complete");
                assertThat(introspect(c)).isEqualTo(promisedAfterContractDown(before));
                assertThat(queryLong(c, "SELECT count(*) FROM \"a\"\"b\" WHERE \"x y\" IS NULL AND note IS NULL AND d = 7")).isEqualTo(100);
            }
        }
    }

    @Test
    void locksAndRoundTripOnOldestAndNewest() throws Exception {
        // Two columns per package: a database per check is what takes the time.
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            PackageChecks.locksAndRoundTrip(server, fill(500), compile(Migration.on(T).dropColumn("x y").dropColumn("s").plan(), DDL,
                    server.major(), WEEK));
            PackageChecks.locksAndRoundTrip(server, fill(500), compile(Migration.on(T).dropColumn("x y").dropColumn("note").plan(), DDL,
                    server.major(), RollbackRequirement.oneWay()));
        }
    }

    @Test
    void durationClassesOnNewest() throws Exception {
        PackageChecks.durationClasses(PostgresServers.newest(), PostgresDropColumnTest::fill, 2_000, 40_000, compile("x y", 18, WEEK));
        PackageChecks.durationClasses(PostgresServers.newest(), PostgresDropColumnTest::fill, 2_000, 40_000,
                compile("x y", 18, RollbackRequirement.oneWay()));
    }

    @Test
    void parkingKeepsTheValuesAndTheDownRestoresThemOnceNewRowsHaveOne() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = compile("x y", server.major(), WEEK);
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                fill(300).apply(c);
                Schema before = introspect(c);
                String data = checksum(c, T, "id", "x y", "d", "s", "pid", "note");
                new StepRunner(c).run(pkg.up().steps());
                new StepRunner(c).run(pkg.up().steps());
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).as("verification").isEmpty();
                assertThatThrownBy(() -> queryString(c, "SELECT \"x y\" FROM \"a\"\"b\" LIMIT 1"))
                        .as("old code fails fast").hasMessageContaining("does not exist");
                assertThat(queryString(c, "SELECT \"zd_dropped_x y\" FROM \"a\"\"b\" WHERE id = 7")).isEqualTo("v7");
                execute(c, "INSERT INTO \"a\"\"b\" (id, d, pid) VALUES (-1, 1, 1)");

                assertThat(ConstraintCases.failureOf(c, pkg.down().script().steps()))
                        .contains(server.major() >= 18 ? "contains null values" : "is violated by some row");
                execute(c, "UPDATE \"a\"\"b\" SET \"x y\" = 'filled' WHERE \"x y\" IS NULL", "DELETE FROM \"a\"\"b\" WHERE id = -1");
                new StepRunner(c).run(pkg.down().script().steps());
                new StepRunner(c).run(pkg.down().script().steps());
                assertThat(introspect(c)).as("the down script can run twice").isEqualTo(before);
                assertThat(checksum(c, T, "id", "x y", "d", "s", "pid", "note")).isEqualTo(data);
            }
        }
    }

    @Test
    void oneWayContractDropsAndItsInverseAddsAnEmptyColumnBackWithoutRewrite() throws Exception {
        String ddl = "CREATE TABLE v (id bigint PRIMARY KEY, r double precision NOT NULL DEFAULT random(), k integer NOT NULL DEFAULT 7, "
                + "m text NOT NULL);";
        MigrationPackage pkg = compile(Migration.on("v").dropColumn("r").dropColumn("k").dropColumn("m").plan(), ddl, 18,
                RollbackRequirement.oneWay());
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.newest());
        try (Connection c = db.connect(); Connection observer = db.connect()) {
            execute(c, ddl, "INSERT INTO v (id, m) SELECT g, 'm' || g FROM generate_series(1, 200) g");
            new StepRunner(c).run(pkg.contract().steps());
            new StepRunner(c).run(pkg.contract().steps());
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
            List<Step> undo = pkg.contract().steps().stream().flatMap(s -> ((Inverse.Steps) s.inverse()).steps().stream()).toList();
            for (Step step : undo) {
                PackageChecks.runChecking(db, c, observer, step, PackageChecks.INVALID_INDEX);
            }
            new StepRunner(c).run(undo);
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(PackageChecks.simulate(pkg.schemaAfter(), undo)));
            assertThat(queryLong(c, "SELECT count(*) FROM v WHERE k = 7")).as("every row reads the non-volatile default").isEqualTo(200);
            assertThat(queryLong(c, "SELECT count(*) FROM v WHERE r IS NULL AND m IS NULL")).as("the others come back empty").isEqualTo(200);
            execute(c, "INSERT INTO v (id) VALUES (-1)");
            assertThat(queryLong(c, "SELECT count(*) FROM v WHERE id = -1 AND r IS NOT NULL")).as("new rows get the volatile default")
                    .isEqualTo(1);
            assertThat(queryString(c, "SELECT string_agg(attname || ':' || attnotnull, ',' ORDER BY attnum) FROM pg_attribute "
                    + "WHERE attrelid = 'v'::regclass AND attnum > 0 AND NOT attisdropped")).isEqualTo("id:true,r:false,k:true,m:false");
        }
        assertThat(((Inverse.Steps) pkg.contract().steps().get(2).inverse()).dataLoss()).get().asString()
                .contains("nullable, without default (it was NOT NULL: with no default, the empty rows cannot be NOT NULL)");
    }

    @Test
    void aViewOnTheColumnOrAPartitionedTableFailsThePreChecks() throws Exception {
        MigrationPackage pkg = compile("note", 18, WEEK);
        try (TestDatabase db = PostgresServers.newest().createDatabase(); Connection c = db.connect()) {
            fill(10).apply(c);
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
            execute(c, "CREATE VIEW v AS SELECT id, note FROM \"a\"\"b\"");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks())))
                    .singleElement().asString().contains("No view, rule, policy, trigger or foreign key depends on a\"b.note");
            execute(c, "DROP VIEW v", "DROP TABLE \"a\"\"b\"", "CREATE TABLE \"a\"\"b\" (id bigint, note text) PARTITION BY RANGE (id)",
                    "CREATE TABLE part PARTITION OF \"a\"\"b\" FOR VALUES FROM (0) TO (100)");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks())))
                    .singleElement().asString().contains("is an ordinary table");
        }
    }

    @Test
    void aTriggerThatReadsTheColumnIsAHazardNoCatalogCheckCatches() throws Exception {
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.newest());
        try (Connection c = db.connect()) {
            fill(20).apply(c);
            execute(c, "CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.note = 'x' THEN NEW.d := 0; END IF; "
                    + "RETURN NEW; END $$", "CREATE TRIGGER audit_note BEFORE INSERT OR UPDATE ON \"a\"\"b\" FOR EACH ROW EXECUTE FUNCTION audit()");
            Schema before = introspect(c);
            MigrationPackage pkg = Zerodown.compile(Migration.on(T).dropColumn("note").plan(), before,
                    context(18, WEEK, DowntimeTolerance.none(), 1_000, T));
            assertThat(pkg.risk().hazards()).anyMatch(h -> h.title().equals("A trigger function may still read the column")
                    && h.detail().contains("audit_note (audit)") && h.detail().contains("NEW.note"));
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).as("no catalog check sees it").isEmpty();
            new StepRunner(c).run(pkg.up().steps());
            assertThatThrownBy(() -> execute(c, "UPDATE \"a\"\"b\" SET d = 1 WHERE id = 1")).hasMessageContaining("has no field \"note\"");
            new StepRunner(c).run(pkg.down().script().steps());
            execute(c, "UPDATE \"a\"\"b\" SET d = 1 WHERE id = 1");
            assertThat(introspect(c)).isEqualTo(before);
        }
        assertThat(compile("note", 18, WEEK).risk().hazards()).noneMatch(h -> h.title().startsWith("A trigger"));
    }

    @Test
    void psqlRunsTheRenderedScriptsTwice() throws Exception {
        if (!"true".equals(System.getenv("ZERODOWN_REQUIRE_PSQL"))) {
            org.assertj.core.api.Assumptions.assumeThat(PgTestSupport.psqlAvailable()).as("psql is not installed").isTrue();
        }
        MigrationPackage pkg = compile("x y", 18, WEEK);
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.newest());
        try (Connection c = db.connect()) {
            fill(100).apply(c);
            Schema before = introspect(c);
            PgTestSupport.psql(db, pkg.up().sql());
            assertThat(PgTestSupport.psql(db, pkg.up().sql())).contains("zerodown: up script complete");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            PgTestSupport.psql(db, pkg.down().script().sql());
            assertThat(PgTestSupport.psql(db, pkg.down().script().sql())).contains("zerodown: down script complete");
            assertThat(introspect(c)).isEqualTo(before);
            PgTestSupport.psql(db, pkg.up().sql());
            PgTestSupport.psql(db, pkg.contract().sql());
            assertThat(PgTestSupport.psql(db, pkg.contract().sql())).contains("zerodown: contract script complete");
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
        }
    }

    @Test
    void misuseIsReportedWithEveryProblem() {
        String ddl = "CREATE TABLE o (id bigint PRIMARY KEY, ref integer);\n"
                + "CREATE TABLE t (id bigint PRIMARY KEY, u integer UNIQUE, k integer CHECK (k > 0), f bigint REFERENCES o (id), "
                + "i integer, g integer GENERATED ALWAYS AS (i * 2) STORED, e text, r integer UNIQUE);\n"
                + "CREATE INDEX t_i ON t (i);\nCREATE INDEX t_e ON t (lower(e));\n"
                + "CREATE TABLE c (id bigint PRIMARY KEY, tr integer REFERENCES t (r));\n"
                + "CREATE TABLE lone (only_one integer);";
        assertThatThrownBy(() -> Zerodown.compile(Migration.on("t").dropColumn("id").dropColumn("u").dropColumn("k").dropColumn("f")
                        .dropColumn("i").dropColumn("e").dropColumn("r").dropColumn("nope").on("lone").dropColumn("only_one").plan(), ddl,
                context(18, WEEK, DowntimeTolerance.none(), 10, "t", "lone")))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly(
                                "column \"id\" of table \"t\" is part of the primary key \"t_pkey\"; drop the primary key first "
                                        + "(dropConstraint(\"t_pkey\")) and give the table another one",
                                "column \"u\" of table \"t\" is part of the unique constraint \"t_u_key\"; drop the constraint first "
                                        + "(dropConstraint(\"t_u_key\"))",
                                "column \"k\" of table \"t\" is used by the check constraint \"t_k_check\"; drop the constraint first "
                                        + "(dropConstraint(\"t_k_check\"))",
                                "column \"f\" of table \"t\" is part of the foreign key \"t_f_fkey\" (referencing \"o\"); drop the "
                                        + "foreign key first (dropConstraint(\"t_f_fkey\"))",
                                "column \"i\" of table \"t\" is used by the index \"t_i\", which DROP COLUMN would drop silently; drop "
                                        + "the index first (dropIndex(\"t_i\")), or keep the column",
                                "column \"i\" of table \"t\" is used by the generated column \"g\" (GENERATED ALWAYS AS (i * 2) STORED); "
                                        + "drop that column first (dropColumn(\"g\"))",
                                "column \"e\" of table \"t\" is used by the index \"t_e\", which DROP COLUMN would drop silently; drop "
                                        + "the index first (dropIndex(\"t_e\")), or keep the column",
                                "column \"r\" of table \"t\" is part of the unique constraint \"t_r_key\"; drop the constraint first "
                                        + "(dropConstraint(\"t_r_key\"))",
                                "column \"r\" of table \"t\" is referenced by the foreign key \"c_tr_fkey\" of table \"c\"; drop that "
                                        + "foreign key first (Migration.on(\"c\").dropConstraint(\"c_tr_fkey\"))",
                                "unknown column \"nope\" in table \"t\"",
                                "column \"only_one\" of table \"lone\" is its only column: a table without columns is of no use; drop "
                                        + "the table instead (dropTable())"));
    }

    @Test
    void theParkedNameIsNumberedWhenTakenAndKeptWithin63Bytes() {
        String ddl = "CREATE TABLE t (id bigint PRIMARY KEY, c text, zd_dropped_c text, zd_dropped_c_1 integer);";
        MigrationPackage pkg = compile(Migration.on("t").dropColumn("c").plan(), ddl, 18, WEEK);
        assertThat(pkg.up().steps().get(0).summary()).contains("rename it to zd_dropped_c_2");
        String longName = "é".repeat(31);
        MigrationPackage longPkg = compile(Migration.on("t").dropColumn(longName).plan(),
                "CREATE TABLE t (id bigint PRIMARY KEY, \"" + longName + "\" text);", 18, WEEK);
        ColumnName parked = PackageChecks.simulate(longPkg.schemaBefore(), longPkg.up().steps()).requireTable(TableName.of("t"))
                .columns().get(1).name();
        assertThat(parked.value()).startsWith("zd_dropped_é");
        assertThat(parked.value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
        assertThat(PostgresDropColumn.Volatility.nonVolatile(io.zerodown.model.SqlExpression.of("'a'::character varying(3)"))).isTrue();
        assertThat(PostgresDropColumn.Volatility.nonVolatile(io.zerodown.model.SqlExpression.of("now()"))).isTrue();
        assertThat(PostgresDropColumn.Volatility.nonVolatile(io.zerodown.model.SqlExpression.of("gen_random_uuid()"))).isFalse();
        assertThat(PostgresDropColumn.Volatility.nonVolatile(io.zerodown.model.SqlExpression.of("'x(' || random()"))).isFalse();
    }

    record Case(String table, String column, int rows, boolean reversible, boolean notNull, boolean newest) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> names = Arbitraries.of("t", "a\"b", "x y", "$zerodown$", "Ünï Côde", "order");
        return Combinators.combine(names, names, Arbitraries.integers().between(0, 200), Arbitraries.of(true, false),
                        Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((t, col, rows, reversible, notNull, newest) -> new Case(t, col + "_c", rows, reversible, notNull, newest));
    }

    @Property(tries = 6, shrinking = ShrinkingMode.OFF)
    void roundTripKeepsDataAndCatalog(@ForAll("cases") Case k) throws Exception {
        PostgresServer server = k.newest() ? PostgresServers.newest() : PostgresServers.oldest();
        String ddl = "CREATE TABLE " + PgSql.quote(k.table()) + " (id bigint PRIMARY KEY, " + PgSql.quote(k.column()) + " integer"
                + (k.notNull() ? " NOT NULL" : "") + ", other text);";
        MigrationPackage pkg = compile(Migration.on(k.table()).dropColumn(k.column()).plan(), ddl, server.major(),
                k.reversible() ? WEEK : RollbackRequirement.oneWay());
        assertDownUndoesUpInMemory(pkg);
        TestDatabase db = KeysFixtures.emptyDatabase(server);
        try (Connection c = db.connect()) {
            execute(c, ddl, "INSERT INTO " + PgSql.quote(k.table()) + " SELECT g, g * 7, 'o' || g FROM generate_series(1, " + k.rows() + ") g");
            Schema before = introspect(c);
            String data = checksum(c, k.table(), "id", k.column(), "other");
            new StepRunner(c).run(pkg.up().steps());
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(PackageChecks.simulate(pkg.schemaBefore(),
                    pkg.up().steps())));
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            new StepRunner(c).run(pkg.down().script().steps());
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).as("the down script can run twice").isEqualTo(before);
            assertThat(checksum(c, k.table(), "id", k.column(), "other")).isEqualTo(data);
            new StepRunner(c).run(pkg.up().steps());
            new StepRunner(c).run(pkg.contract().steps());
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
            List<Step> contractDown = pkg.down().contractDown().script().steps();
            assertThat(contractDown).as("only the one-way drop can be undone after the contract").hasSize(k.reversible() ? 0 : 1);
            new StepRunner(c).run(contractDown);
            new StepRunner(c).run(contractDown);
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(PackageChecks.simulate(pkg.schemaAfter(),
                    contractDown)));
        }
    }
}
