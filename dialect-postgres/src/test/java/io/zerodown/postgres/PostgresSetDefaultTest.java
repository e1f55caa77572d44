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
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Schema;
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
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/** SET DEFAULT on PostgreSQL: a catalog change; existing rows keep their values; the down script restores the old default. */
class PostgresSetDefaultTest {

    static final String T = "a\"b";
    static final String DDL = "CREATE TABLE \"a\"\"b\" (id bigint PRIMARY KEY, \"x y\" integer NOT NULL DEFAULT 1, s serial, "
            + "n bigint GENERATED ALWAYS AS IDENTITY, g bigint GENERATED ALWAYS AS (id * 2) STORED, note text, flag boolean, ts timestamptz);";

    static PackageChecks.Setup fill(int rows) {
        return c -> execute(c, DDL, "INSERT INTO \"a\"\"b\" (id, \"x y\", note, flag, ts) SELECT g, g % 9, 'n' || g, g % 2 = 0, "
                + "'2020-01-01'::timestamptz + g * interval '1 minute' FROM generate_series(1, " + rows + ") g");
    }

    static MigrationPackage compile(String column, String value, int major) {
        return Zerodown.compile(Migration.on(T).setDefault(column, value).plan(), DDL,
                PostgresDropColumnTest.context(major, RollbackRequirement.reversibleFor(Duration.ofDays(1)), DowntimeTolerance.none(),
                        1_000_000, T));
    }

    static final List<String[]> VARIANTS = List.of(
            new String[] {"x y", "42"},
            new String[] {"note", "'it''s new'"},
            new String[] {"ts", "clock_timestamp()"},
            new String[] {"s", "0"});

    static void assertDownUndoesUpInMemory(MigrationPackage pkg) {
        Schema up = PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps());
        assertThat(up).isEqualTo(pkg.schemaAfter());
        assertThat(PackageChecks.simulate(up, pkg.down().script().steps())).as("down undoes up in memory").isEqualTo(pkg.schemaBefore());
    }

    @Test
    void goldenFiles() {
        GoldenFiles.assertMatches("set_default/replace_18.sql", ConstraintCases.golden(compile("x y", "42", 18)));
        GoldenFiles.assertMatches("set_default/new_text_12.sql", ConstraintCases.golden(compile("note", "'it''s new'", 12)));
        GoldenFiles.assertMatches("set_default/volatile_18.sql", ConstraintCases.golden(compile("ts", "clock_timestamp()", 18)));
        for (String[] v : VARIANTS) {
            assertDownUndoesUpInMemory(compile(v[0], v[1], 12));
            assertDownUndoesUpInMemory(compile(v[0], v[1], 18));
        }
    }

    @Test
    void oneInstantStepWhoseDownRestoresTheOldDefault() {
        MigrationPackage pkg = compile("x y", "42", 18);
        assertThat(pkg.up().steps()).extracting(Step::id).containsExactly("1.a\"b.set_default_x_y.set_default");
        assertThat(pkg.up().blockingLockTime()).isZero();
        assertThat(pkg.contract().steps()).isEmpty();
        assertThat(pkg.down().script().steps()).singleElement().satisfies(s -> assertThat(s.statements().get(0))
                .contains("ALTER TABLE \"a\"\"b\" ALTER COLUMN \"x y\" SET DEFAULT 1;"));
        assertThat(compile("note", "'x'", 18).down().script().steps()).singleElement()
                .satisfies(s -> assertThat(s.statements().get(0)).contains("ALTER COLUMN \"note\" DROP DEFAULT;"));
        assertThat(compile("ts", "clock_timestamp()", 18).notes()).anyMatch(n -> n.contains("a volatile one") && n.contains("fine"));
        MigrationPackage serial = compile("s", "0", 18);
        assertThat(PackageChecks.simulate(serial.schemaBefore(), serial.up().steps()).requireTable(TableName.of(T))
                .column(ColumnName.of("s")).flatMap(Column::generation)).as("no longer serial").isEmpty();
        assertThat(serial.schemaBefore().requireTable(TableName.of(T)).column(ColumnName.of("s")).flatMap(Column::generation).orElseThrow())
                .isInstanceOf(Generation.Serial.class);
        assertThat(serial.notes()).anyMatch(n -> n.contains("was a serial column"));
    }

    @Test
    void locksAndRoundTripOnOldestAndNewest() throws Exception {
        // One package with every variant: a database per check is what takes the time.
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            PackageChecks.locksAndRoundTrip(server, fill(300), Zerodown.compile(Migration.on(T).setDefault("x y", "42")
                            .setDefault("note", "'it''s new'").setDefault("ts", "clock_timestamp()").setDefault("s", "0").plan(), DDL,
                    PostgresDropColumnTest.context(server.major(), RollbackRequirement.oneWay(), DowntimeTolerance.none(), 1_000_000, T)));
        }
    }

    @Test
    void durationClassesOnNewest() throws Exception {
        PackageChecks.durationClasses(PostgresServers.newest(), PostgresSetDefaultTest::fill, 2_000, 40_000, compile("x y", "42", 18));
        PackageChecks.durationClasses(PostgresServers.newest(), PostgresSetDefaultTest::fill, 2_000, 40_000,
                compile("ts", "clock_timestamp()", 18));
    }

    @Test
    void existingRowsKeepTheirValuesNewRowsGetTheDefaultAndTheDownRestoresTheOldOne() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            TestDatabase db = KeysFixtures.emptyDatabase(server);
            try (Connection c = db.connect()) {
                fill(200).apply(c);
                Schema before = introspect(c);
                String data = checksum(c, T, "id", "x y", "s", "note", "flag", "ts");
                MigrationPackage pkg = compile("x y", "42", server.major());
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).as("fails before up").hasSize(1);
                new StepRunner(c).run(pkg.up().steps());
                new StepRunner(c).run(pkg.up().steps());
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
                assertThat(checksum(c, T, "id", "x y", "s", "note", "flag", "ts")).isEqualTo(data);
                execute(c, "INSERT INTO \"a\"\"b\" (id) VALUES (-1)");
                assertThat(queryString(c, "SELECT \"x y\" FROM \"a\"\"b\" WHERE id = -1")).isEqualTo("42");
                execute(c, "DELETE FROM \"a\"\"b\" WHERE id = -1");
                new StepRunner(c).run(pkg.down().script().steps());
                assertThat(introspect(c)).isEqualTo(before);
                execute(c, "INSERT INTO \"a\"\"b\" (id) VALUES (-2)");
                assertThat(queryString(c, "SELECT \"x y\" FROM \"a\"\"b\" WHERE id = -2")).isEqualTo("1");

                MigrationPackage volatileDefault = compile("ts", "clock_timestamp()", server.major());
                new StepRunner(c).run(volatileDefault.up().steps());
                assertThat(PackageChecks.failures(CheckRunner.run(c, volatileDefault.verification()))).isEmpty();
                execute(c, "INSERT INTO \"a\"\"b\" (id) SELECT -g FROM generate_series(10, 12) g");
                assertThat(queryLong(c, "SELECT count(DISTINCT ts) FROM \"a\"\"b\" WHERE id <= -10")).as("one value per new row").isEqualTo(3);
                assertThat(queryLong(c, "SELECT count(*) FROM \"a\"\"b\" WHERE id > 0 AND ts < '2021-01-01'")).isEqualTo(200);
            }
        }
    }

    @Test
    void misuseIsReportedWithEveryProblem() {
        assertThatThrownBy(() -> Zerodown.compile(Migration.on(T).setDefault("n", "5").setDefault("g", "5").setDefault("x y", "'abc'")
                        .setDefault("flag", "'maybe'").setDefault("note", "'abc'").setDefault("flag", "'ye'").setDefault("x y", "'12'").setDefault("note", "'n' || id").setDefault("ts", "current_timestamp").plan(),
                DDL, PostgresDropColumnTest.context(18, RollbackRequirement.oneWay(), DowntimeTolerance.none(), 10, T)))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly("column \"n\" of table \"a\"b\" is an identity column (GENERATED ALWAYS AS IDENTITY), which "
                                        + "cannot have a default: PostgreSQL refuses to set a default on it. Drop the identity first (ALTER "
                                        + "COLUMN … DROP IDENTITY), or change the identity's sequence (ALTER COLUMN … RESTART / SET …) instead",
                                "column \"g\" of table \"a\"b\" is a generated column (GENERATED ALWAYS AS (id * 2) STORED), which cannot "
                                        + "have a default: PostgreSQL refuses to set a default on it. Make it an ordinary column first "
                                        + "(ALTER COLUMN … DROP EXPRESSION, PostgreSQL 13 and later)",
                                "the default 'abc' for column \"x y\" is not a value of its type integer: PostgreSQL would refuse it "
                                        + "(invalid input syntax for type integer); give a integer value",
                                "the default 'maybe' for column \"flag\" is not a value of its type boolean: PostgreSQL would refuse it "
                                        + "(invalid input syntax for type boolean); give a boolean value",
                                "the default 'n' || id for column \"note\" reads the column(s) id: PostgreSQL refuses column "
                                        + "references in a default (a default is computed before the row exists); use a generated "
                                        + "column, a trigger, or a backfill (backfillColumn) instead"));
    }

    @Test
    void theServerRefusesWhatTheProblemsReport() throws Exception {
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.oldest());
        try (Connection c = db.connect()) {
            fill(1).apply(c);
            assertThatThrownBy(() -> execute(c, "ALTER TABLE \"a\"\"b\" ALTER COLUMN n SET DEFAULT 5")).hasMessageContaining("identity");
            assertThatThrownBy(() -> execute(c, "ALTER TABLE \"a\"\"b\" ALTER COLUMN g SET DEFAULT 5")).hasMessageContaining("generated");
            assertThatThrownBy(() -> execute(c, "ALTER TABLE \"a\"\"b\" ALTER COLUMN \"x y\" SET DEFAULT 'abc'"))
                    .hasMessageContaining("invalid input syntax for type integer");
            assertThatThrownBy(() -> execute(c, "ALTER TABLE \"a\"\"b\" ALTER COLUMN flag SET DEFAULT 'maybe'"))
                    .hasMessageContaining("invalid input syntax for type boolean");
            assertThatThrownBy(() -> execute(c, "ALTER TABLE \"a\"\"b\" ALTER COLUMN note SET DEFAULT 'n' || id"))
                    .hasMessageContaining("cannot use column reference");
            execute(c, "ALTER TABLE \"a\"\"b\" ALTER COLUMN flag SET DEFAULT 'ye'", "ALTER TABLE \"a\"\"b\" ALTER COLUMN \"x y\" SET DEFAULT '12'");
        }
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
        String ddl = "CREATE TABLE " + PgSql.quote(k.table()) + " (id bigint PRIMARY KEY, " + PgSql.quote(k.column())
                + " text NOT NULL DEFAULT 'o''ld $zerodown$', other text);";
        MigrationPackage pkg = Zerodown.compile(Migration.on(k.table()).setDefault(k.column(), "'ne''w $zerodown$'").plan(), ddl,
                PostgresDropColumnTest.context(server.major(), RollbackRequirement.oneWay(), DowntimeTolerance.none(), k.rows(), k.table()));
        assertDownUndoesUpInMemory(pkg);
        TestDatabase db = KeysFixtures.emptyDatabase(server);
        try (Connection c = db.connect()) {
            execute(c, ddl, "INSERT INTO " + PgSql.quote(k.table()) + " SELECT g, 'v' || g, 'o' || g FROM generate_series(1, " + k.rows() + ") g");
            Schema before = introspect(c);
            String data = checksum(c, k.table(), "id", k.column(), "other");
            new StepRunner(c).run(pkg.up().steps());
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            execute(c, "INSERT INTO " + PgSql.quote(k.table()) + " (id) VALUES (-1)");
            assertThat(queryString(c, "SELECT " + PgSql.quote(k.column()) + " FROM " + PgSql.quote(k.table()) + " WHERE id = -1"))
                    .isEqualTo("ne'w $zerodown$");
            execute(c, "DELETE FROM " + PgSql.quote(k.table()) + " WHERE id = -1");
            new StepRunner(c).run(pkg.down().script().steps());
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).as("the down script can run twice").isEqualTo(before);
            assertThat(checksum(c, k.table(), "id", k.column(), "other")).isEqualTo(data);
        }
    }
}
