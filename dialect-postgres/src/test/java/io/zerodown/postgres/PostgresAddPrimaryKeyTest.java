package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.checksum;
import static io.zerodown.postgres.PgTestSupport.execute;
import static io.zerodown.postgres.PgTestSupport.introspect;
import static io.zerodown.postgres.PgTestSupport.queryString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.zerodown.Migration;
import io.zerodown.MigrationValidationException;
import io.zerodown.Problem;
import io.zerodown.model.ColumnName;
import io.zerodown.model.TableName;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.operation.MigrationPlan;
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
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/** addPrimaryKey on real servers: NOT NULL through a validated check, the concurrent build, an attach that does not scan. */
class PostgresAddPrimaryKeyTest {

    static final String NULLABLE_DDL = "CREATE TABLE events (tenant integer NOT NULL, seq bigint, payload text, "
            + "created_at timestamptz DEFAULT now());";
    static final String NOT_NULL_DDL = "CREATE TABLE events (tenant integer NOT NULL, seq bigint NOT NULL, payload text, "
            + "created_at timestamptz DEFAULT now());";

    static PackageChecks.Setup rows(String ddl, int n) {
        return c -> execute(c, ddl, "INSERT INTO events SELECT g % 10, g, 'payload ' || g FROM generate_series(1, " + n + ") g");
    }

    static PackageChecks.Setup rows(int n) {
        return rows(NULLABLE_DDL, n);
    }

    static MigrationPlan plan() {
        return Migration.on("events").addPrimaryKey("tenant", "seq").plan();
    }

    static MigrationPackage compile(String ddl, int major, DowntimeTolerance downtime) {
        return KeysFixtures.compile(plan(), ddl, major, downtime, "events", 5_000_000);
    }

    static MigrationPackage online(int major) {
        return compile(NULLABLE_DDL, major, DowntimeTolerance.none());
    }

    /** Makes the guards of the down script's clean-up steps true: an orphan index, or the helper checks, left by an interrupted up. */
    static final PackageChecks.GuardForcer LEFTOVERS = (c, step) -> {
        if (step.id().endsWith(".undo_checks")) {
            execute(c, "ALTER TABLE events ADD CONSTRAINT " + PgSql.quote(PostgresAddPrimaryKey.checkName(TableName.of("events"),
                    ColumnName.of("seq"))) + " CHECK (seq IS NOT NULL) NOT VALID");
        } else {
            PackageChecks.INVALID_INDEX.force(c, step);
        }
    };

    @Test
    void goldenFiles() {
        KeysFixtures.assertGolden("add_primary_key", "online", online(15));
        KeysFixtures.assertGolden("add_primary_key", "online_not_null", compile(NOT_NULL_DDL, 15, DowntimeTolerance.none()));
        KeysFixtures.assertGolden("add_primary_key", "direct", compile(NULLABLE_DDL, 15, DowntimeTolerance.devOnly()));
    }

    @Test
    void onlineValidatesNotNullThenBuildsConcurrentlyThenAttaches() {
        MigrationPackage pkg = online(15);
        assertThat(pkg.strategy().techniques()).containsExactly(Technique.NOT_VALID_THEN_VALIDATE, Technique.CONCURRENT_INDEX);
        assertThat(pkg.up().steps()).extracting(Step::kind).containsExactly(Step.Kind.SCHEMA, Step.Kind.SCHEMA, Step.Kind.REPAIR,
                Step.Kind.INDEX_BUILD, Step.Kind.SCHEMA);
        assertThat(pkg.up().steps()).extracting(s -> s.locks().get(0).mode()).containsExactly(PgLock.ACCESS_EXCLUSIVE,
                PgLock.SHARE_UPDATE_EXCLUSIVE, PgLock.SHARE_UPDATE_EXCLUSIVE, PgLock.SHARE_UPDATE_EXCLUSIVE, PgLock.ACCESS_EXCLUSIVE);
        assertThat(pkg.up().blockingLockTime()).isZero();
        assertThat(pkg.down().script().steps()).extracting(Step::id).containsExactly("1.events.pkey_events_pkey.undo_attach",
                "1.events.pkey_events_pkey.undo_build", "1.events.pkey_events_pkey.undo_checks");

        MigrationPackage notNull = compile(NOT_NULL_DDL, 15, DowntimeTolerance.none());
        assertThat(notNull.strategy().techniques()).containsExactly(Technique.CONCURRENT_INDEX);
        assertThat(notNull.up().sql()).doesNotContain("CHECK").doesNotContain("SET NOT NULL");
        assertThat(compile(NULLABLE_DDL, 15, DowntimeTolerance.devOnly()).strategy().techniques()).containsExactly(Technique.DIRECT);
    }

    @Test
    void locksAndRoundTripOnOldestAndNewest() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            PackageChecks.locksAndRoundTrip(server, rows(1_000), online(server.major()), LEFTOVERS);
            PackageChecks.locksAndRoundTrip(server, rows(NOT_NULL_DDL, 1_000), compile(NOT_NULL_DDL, server.major(),
                    DowntimeTolerance.none()), LEFTOVERS);
            PackageChecks.locksAndRoundTrip(server, rows(1_000), compile(NULLABLE_DDL, server.major(), DowntimeTolerance.devOnly()), LEFTOVERS);
        }
    }

    @Test
    void durationClassesOnNewest() throws Exception {
        PackageChecks.durationClasses(PostgresServers.newest(), PostgresAddPrimaryKeyTest::rows, 4_000, 200_000, online(18));
        PackageChecks.durationClasses(PostgresServers.newest(), PostgresAddPrimaryKeyTest::rows, 4_000, 200_000,
                compile(NULLABLE_DDL, 18, DowntimeTolerance.devOnly()));
    }

    /**
     * With client_min_messages = debug1 PostgreSQL reports every table scan that verifies a
     * constraint ("verifying table"): the validation scans, the final attach does not, and SET NOT
     * NULL says the valid check proves it. The direct ADD PRIMARY KEY, for contrast, scans.
     */
    @Test
    void theExclusiveAttachDoesNotScanOnOldestAndNewest() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = online(server.major());
            TestDatabase db = KeysFixtures.emptyDatabase(server);
            try (Connection c = db.connect()) {
                rows(2_000).apply(c);
                execute(c, "SET client_min_messages = debug1");
                List<String> validate = new ArrayList<>();
                List<String> attach = new ArrayList<>();
                for (Step step : pkg.up().steps()) {
                    List<String> notices = step.id().endsWith(".validate") ? validate : step.id().endsWith(".attach") ? attach : new ArrayList<>();
                    new StepRunner(c, notices::add).run(step);
                }
                assertThat(validate).as("PostgreSQL %s: the validation scans", server.major()).anyMatch(n -> n.contains("verifying table"));
                assertThat(attach).as("PostgreSQL %s: the attach does not scan", server.major()).noneMatch(n -> n.contains("verifying table"))
                        .anyMatch(n -> n.contains("are sufficient to prove that it does not contain nulls"));
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            }
            MigrationPackage direct = compile(NULLABLE_DDL, server.major(), DowntimeTolerance.devOnly());
            try (Connection c = KeysFixtures.emptyDatabase(server).connect()) {
                rows(2_000).apply(c);
                execute(c, "SET client_min_messages = debug1");
                List<String> notices = new ArrayList<>();
                new StepRunner(c, notices::add).run(direct.up().steps());
                assertThat(notices).as("PostgreSQL %s: ADD PRIMARY KEY on a nullable column scans", server.major())
                        .anyMatch(n -> n.contains("verifying table"));
            }
        }
    }

    @Test
    void upKeepsDataRejectsNullsAndDuplicatesAndDownRestoresNullability() throws Exception {
        MigrationPackage pkg = online(15);
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.reference());
        try (Connection c = db.connect()) {
            rows(5_000).apply(c);
            Schema before = introspect(c);
            String data = checksum(c, "events", "seq", "tenant", "payload", "created_at");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();

            new StepRunner(c).run(pkg.up().steps().subList(0, 1));
            assertThatThrownBy(() -> execute(c, "INSERT INTO events (tenant, seq) VALUES (1, NULL)"))
                    .as("a NULL key is rejected from the first step")
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23514"));

            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
            assertThat(checksum(c, "events", "seq", "tenant", "payload", "created_at")).isEqualTo(data);
            assertThatThrownBy(() -> execute(c, "INSERT INTO events (tenant, seq) VALUES (1, 1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
            assertThatThrownBy(() -> execute(c, "INSERT INTO events (tenant, seq) VALUES (1, NULL)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23502"));

            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).as("seq allows NULL again").isEqualTo(before);
            assertThat(checksum(c, "events", "seq", "tenant", "payload", "created_at")).isEqualTo(data);
        }
    }

    @Test
    void aNullWrittenBeforeTheChecksStopsTheValidationAndTheDownCleansUp() throws Exception {
        MigrationPackage pkg = online(15);
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.reference());
        try (Connection c = db.connect()) {
            rows(1_000).apply(c);
            Schema before = introspect(c);
            execute(c, "INSERT INTO events (tenant, seq) VALUES (3, NULL)");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks())))
                    .singleElement().asString().contains("No row has a NULL in seq");
            assertThatThrownBy(() -> new StepRunner(c).run(pkg.up().steps())).hasMessageContaining("is violated by some row");
            assertThat(queryString(c, "SELECT convalidated FROM pg_constraint WHERE conname = "
                    + PgSql.literal(PostgresAddPrimaryKey.checkName(TableName.of("events"), ColumnName.of("seq")).value())))
                    .as("the check stays NOT VALID").isEqualTo("f");
            execute(c, "DELETE FROM events WHERE seq IS NULL");
            List<String> ran = new StepRunner(c).run(pkg.down().script().steps());
            assertThat(ran).as("only the clean-up of the checks has something to do").hasSize(2)
                    .anyMatch(id -> id.endsWith(".undo_checks"));
            assertThat(introspect(c)).isEqualTo(before);
        }
    }

    @Test
    void psqlRunsTheRenderedScriptsTwice() throws Exception {
        boolean required = "true".equals(System.getenv("ZERODOWN_REQUIRE_PSQL"));
        if (!required) {
            assumeThat(PgTestSupport.psqlAvailable()).as("psql is not installed (CI sets ZERODOWN_REQUIRE_PSQL=true)").isTrue();
        }
        MigrationPackage pkg = online(15);
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.reference());
        try (Connection c = db.connect()) {
            rows(500).apply(c);
            Schema before = introspect(c);
            assertThat(PgTestSupport.psql(db, pkg.up().sql())).contains("zerodown: up script complete");
            assertThat(PgTestSupport.psql(db, pkg.up().sql())).contains("step 3 not needed, skipped");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(PgTestSupport.psql(db, pkg.down().script().sql())).contains("step 2 not needed").contains("step 3 not needed");
            PgTestSupport.psql(db, pkg.down().script().sql());
            assertThat(introspect(c)).isEqualTo(before);
        }
    }

    @Test
    void misuseIsReportedTogether() {
        String ddl = NULLABLE_DDL + "\nCREATE TABLE keyed (id bigint PRIMARY KEY);\nCREATE TABLE other (payload text);";
        MigrationPlan plan = Migration.on("keyed").addPrimaryKey("id").named("keyed_pk2")
                .on("events").addPrimaryKey("seq", "seq", "nope")
                .on("other").addPrimaryKey("payload").named("keyed")
                .plan();
        assertThatThrownBy(() -> KeysFixtures.compile(plan, ddl, 15, DowntimeTolerance.none(), "events", 10))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly(
                                "table \"keyed\" already has a primary key (keyed_pkey)",
                                "column \"seq\" is listed twice in the primary key",
                                "unknown column \"nope\" in table \"events\"",
                                "a table named \"keyed\" exists; the primary key's index takes the constraint's name and cannot share it "
                                        + "with a table: choose another with named(…)"));
    }

    @Test
    void aKeyOnAJsonColumnIsRefused() {
        MigrationPlan plan = Migration.on("docs").addPrimaryKey("doc").plan();
        assertThatThrownBy(() -> KeysFixtures.compile(plan, "CREATE TABLE docs (doc json);", 15, DowntimeTolerance.none(), "docs", 10))
                .hasMessageContaining("column \"doc\" is json, which has no btree operator class");
    }

    // ---- generated variants ----

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of("a\"b", "x y", "$zerodown$", "Mixed Case", "ü_ñ", "order", "k;--");
    }

    @Property(tries = 5, shrinking = ShrinkingMode.BOUNDED)
    void generatedVariantsRoundTrip(@ForAll("names") String table, @ForAll("names") String column, @ForAll boolean nullable,
                                    @ForAll boolean dev, @ForAll("rowCounts") int rows) throws Exception {
        String ddl = "CREATE TABLE " + PgSql.quote(table) + " (" + PgSql.quote(column) + " bigint" + (nullable ? "" : " NOT NULL")
                + ", kept text DEFAULT 'k', other integer);";
        MigrationPlan plan = Migration.on(table).addPrimaryKey(column).plan();
        MigrationPackage pkg = KeysFixtures.compile(plan, ddl, 18, dev ? DowntimeTolerance.devOnly() : DowntimeTolerance.none(), table, rows);
        KeysFixtures.assertDownUndoesUpInMemory(pkg);
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.newest());
        try (Connection c = db.connect()) {
            execute(c, ddl, "INSERT INTO " + PgSql.quote(table) + " SELECT g, 'k' || g, g % 4 FROM generate_series(1, " + rows + ") g");
            Schema before = introspect(c);
            String data = checksum(c, table, column, "kept", "other");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
            assertThat(checksum(c, table, column, "kept", "other")).isEqualTo(data);
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, table, column, "kept", "other")).isEqualTo(data);
        }
    }

    @Provide
    Arbitrary<Integer> rowCounts() {
        return Arbitraries.of(0, 1, 300);
    }
}
