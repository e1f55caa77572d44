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
import io.zerodown.dsl.TableChanges;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.ReadPattern;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.context.Target;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
import io.zerodown.plan.TableWork;
import io.zerodown.postgres.testing.ComparableSchema;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/**
 * Adding a column on PostgreSQL 12 and 18: instant forms, the online sequence for volatile
 * defaults, serial and identity columns, the rewriting direct forms where downtime is allowed.
 */
class PostgresAddColumnTest {

    static final String TABLE = "a\"b";
    static final String DDL = "CREATE TABLE \"a\"\"b\" (id bigint PRIMARY KEY, \"x y\" text NOT NULL);"
            + "CREATE TABLE nokey (v integer);";

    static PackageChecks.Setup fill(int rows) {
        return c -> execute(c, DDL, "INSERT INTO \"a\"\"b\" SELECT g, 'v' || g FROM generate_series(1, " + rows + ") g");
    }

    /** The variants, each one addColumn on "a""b". */
    enum Variant {
        NULLABLE(t -> t.addColumn("n ote", "varchar(20)")),
        CONSTANT_DEFAULT(t -> t.addColumn("status", "text").defaultValue("'active'")),
        NOT_NULL_CONSTANT_DEFAULT(t -> t.addColumn("created", "timestamptz").notNull().defaultValue("now()")),
        VOLATILE_DEFAULT(t -> t.addColumn("seen", "timestamptz").defaultValue("clock_timestamp()").batched(300)),
        VOLATILE_DEFAULT_NOT_NULL(t -> t.addColumn("token", "double precision").notNull().defaultValue("random()").batched(300)),
        SERIAL(t -> t.addColumn("s", "bigserial").batched(300)),
        IDENTITY(t -> t.addColumn("n", "bigint").identity().batched(300)),
        GENERATED(t -> t.addColumn("g", "text").generatedAs("upper(\"x y\")"));

        final UnaryOperator<TableChanges> change;

        Variant(UnaryOperator<TableChanges> change) {
            this.change = change;
        }

        String file() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static MigrationContext context(int major, DowntimeTolerance downtime, long rows) {
        return MigrationContext.builder().name("add_column").author("test@example.com").date(LocalDate.of(2026, 1, 1))
                .target(Target.postgres(major)).downtime(downtime).rollback(RollbackRequirement.reversibleFor(Duration.ofDays(7)))
                .profile(TABLE, TableProfile.of(rows, 50, ReadPattern.MIXED)).build();
    }

    static MigrationPackage compile(MigrationPlan plan, int major, DowntimeTolerance downtime, long rows) {
        return Zerodown.compile(plan, DDL, context(major, downtime, rows));
    }

    static MigrationPackage compile(int major, DowntimeTolerance downtime, Variant... variants) {
        TableChanges changes = Migration.on(TABLE);
        for (Variant v : variants) {
            changes = v.change.apply(changes);
        }
        return compile(changes.plan(), major, downtime, 1_000_000);
    }

    static final Variant[] ONLINE = {Variant.NULLABLE, Variant.CONSTANT_DEFAULT, Variant.NOT_NULL_CONSTANT_DEFAULT,
            Variant.VOLATILE_DEFAULT, Variant.VOLATILE_DEFAULT_NOT_NULL, Variant.SERIAL, Variant.IDENTITY};

    @Test
    void goldenFiles() {
        for (Variant v : ONLINE) {
            GoldenFiles.assertMatches("add_column/" + v.file() + "_12_to_17.sql", ConstraintCases.golden(compile(15, DowntimeTolerance.none(), v)));
        }
        for (Variant v : List.of(Variant.VOLATILE_DEFAULT_NOT_NULL, Variant.IDENTITY)) {
            GoldenFiles.assertMatches("add_column/" + v.file() + "_18.sql", ConstraintCases.golden(compile(18, DowntimeTolerance.none(), v)));
        }
        for (Variant v : List.of(Variant.VOLATILE_DEFAULT_NOT_NULL, Variant.IDENTITY, Variant.GENERATED)) {
            GoldenFiles.assertMatches("add_column/" + v.file() + "_direct.sql", ConstraintCases.golden(compile(18, DowntimeTolerance.devOnly(), v)));
        }
    }

    @Test
    void stepsAndClaimsOfEachVariant() {
        java.util.Map<Variant, String> slugs = java.util.Map.of(Variant.NULLABLE, "add_n_ote", Variant.CONSTANT_DEFAULT, "add_status",
                Variant.NOT_NULL_CONSTANT_DEFAULT, "add_created");
        for (Variant v : List.of(Variant.NULLABLE, Variant.CONSTANT_DEFAULT, Variant.NOT_NULL_CONSTANT_DEFAULT)) {
            MigrationPackage pkg = compile(15, DowntimeTolerance.none(), v);
            assertThat(pkg.up().steps()).as(v.name()).singleElement().satisfies(s -> assertThat(s.locks()).singleElement()
                    .satisfies(l -> assertThat(l.mode()).isEqualTo(PgLock.ACCESS_EXCLUSIVE))
                    .extracting(LockClaim::work).isEqualTo(TableWork.NONE));
            assertThat(pkg.up().blockingLockTime()).isZero();
            assertThat(pkg.down().script().steps()).extracting(Step::id).containsExactly("1.a\"b." + slugs.get(v) + ".undo_add");
            assertThat(pkg.down().dataLoss()).singleElement().asString().contains("is dropped with every value written into it");
        }
        MigrationPackage identity = compile(15, DowntimeTolerance.none(), Variant.IDENTITY);
        assertThat(identity.up().steps()).extracting(Step::id).containsExactly("1.a\"b.add_n.add", "1.a\"b.add_n.backfill",
                "1.a\"b.add_n.add_check", "1.a\"b.add_n.validate_check", "1.a\"b.add_n.set_not_null", "1.a\"b.add_n.identity");
        assertThat(identity.up().blockingLockTime()).isZero();
        assertThat(identity.down().script().steps()).extracting(Step::id).containsExactly("1.a\"b.add_n.undo_backfill",
                "1.a\"b.add_n.undo_add");
        assertThat(compile(18, DowntimeTolerance.none(), Variant.VOLATILE_DEFAULT_NOT_NULL).up().steps()).extracting(Step::id)
                .containsExactly("1.a\"b.add_token.add", "1.a\"b.add_token.backfill", "1.a\"b.add_token.add_not_null",
                        "1.a\"b.add_token.validate_not_null");
        for (Variant v : List.of(Variant.VOLATILE_DEFAULT, Variant.SERIAL, Variant.IDENTITY, Variant.GENERATED)) {
            MigrationPackage direct = compile(18, DowntimeTolerance.devOnly(), v);
            assertThat(direct.up().steps()).as(v.name()).singleElement().satisfies(s -> assertThat(s.locks()).singleElement()
                    .extracting(LockClaim::work).isEqualTo(TableWork.REWRITE));
            assertThat(direct.risk().hazards()).anyMatch(h -> h.title().startsWith("ADD COLUMN rewrites"));
        }
        // a 5-minute window fits a rewrite of 1,000 rows, not of 100 million (the unknown profile)
        assertThat(compile(Migration.on(TABLE).addColumn("s", "bigserial").plan(), 15,
                DowntimeTolerance.maintenanceWindow(Duration.ofMinutes(5)), 1_000).up().steps()).hasSize(1);
        assertThat(compile(Migration.on(TABLE).addColumn("s", "bigserial").plan(), 15,
                DowntimeTolerance.maintenanceWindow(Duration.ofMinutes(5)), 100_000_000).up().steps()).hasSize(5);
    }

    @Test
    void volatilityComesFromTheTableOfKnownFunctions() {
        assertThat(PostgresAddColumn.unknownFunctions(io.zerodown.model.SqlExpression.of("now() + interval '1 day'"))).isEmpty();
        assertThat(PostgresAddColumn.unknownFunctions(io.zerodown.model.SqlExpression.of("CURRENT_TIMESTAMP"))).isEmpty();
        assertThat(PostgresAddColumn.unknownFunctions(io.zerodown.model.SqlExpression.of("lower('A') || 'x'"))).isEmpty();
        assertThat(PostgresAddColumn.unknownFunctions(io.zerodown.model.SqlExpression.of("'{}'::jsonb"))).isEmpty();
        assertThat(PostgresAddColumn.unknownFunctions(io.zerodown.model.SqlExpression.of("gen_random_uuid()")))
                .containsExactly("gen_random_uuid");
        assertThat(PostgresAddColumn.unknownFunctions(io.zerodown.model.SqlExpression.of("my_schema.pick_one(3)")))
                .containsExactly("pick_one");
        MigrationPackage unknown = compile(Migration.on(TABLE).addColumn("k", "integer").defaultValue("pick_one(3)").plan(), 15,
                DowntimeTolerance.none(), 10);
        assertThat(unknown.up().steps()).hasSize(2);
        assertThat(unknown.strategy().reasons()).anyMatch(r -> r.contains("pick_one is not in zerodown's list of non-volatile "
                + "functions, so it is treated as volatile"));
    }

    /** The combined online package: every statement's locks as claimed, no rewrite, down restores the catalog. */
    @Test
    void locksAndRoundTripOnOldestAndNewest() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            PackageChecks.locksAndRoundTrip(server, fill(1_000), compile(server.major(), DowntimeTolerance.none(), ONLINE));
        }
    }

    /** The direct forms rewrite, as claimed (relfilenode changes), and are timed proportional to rows. */
    @Test
    void directFormsRewriteAndGrowWithTheTable() throws Exception {
        MigrationPackage pkg = compile(18, DowntimeTolerance.devOnly(), Variant.VOLATILE_DEFAULT_NOT_NULL, Variant.SERIAL,
                Variant.IDENTITY, Variant.GENERATED);
        try (TestDatabase db = PostgresServers.newest().createDatabase(); Connection c = db.connect()) {
            fill(500).apply(c);
            for (Step step : pkg.up().steps()) {
                long before = LockObserver.relfilenode(c, TABLE);
                new StepRunner(c).run(step);
                assertThat(LockObserver.relfilenode(c, TABLE)).as("%s rewrites", step.id()).isNotEqualTo(before);
            }
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
        }
        PackageChecks.locksAndRoundTrip(PostgresServers.oldest(), fill(500), compile(12, DowntimeTolerance.devOnly(),
                Variant.VOLATILE_DEFAULT, Variant.SERIAL, Variant.IDENTITY, Variant.GENERATED));
    }

    @Test
    void durationClassesOnNewest() throws Exception {
        PackageChecks.durationClasses(PostgresServers.newest(), PostgresAddColumnTest::fill, 2_000, 200_000,
                compile(18, DowntimeTolerance.devOnly(), Variant.NULLABLE, Variant.NOT_NULL_CONSTANT_DEFAULT, Variant.VOLATILE_DEFAULT,
                        Variant.IDENTITY));
    }

    /** Values, interruption and resumption of the fill, the identity switch, verification, down. */
    @Test
    void theFillGivesEveryRowItsValueResumesAfterInterruptionAndEndsInATrueIdentity() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = compile(server.major(), DowntimeTolerance.none(), Variant.VOLATILE_DEFAULT_NOT_NULL,
                    Variant.SERIAL, Variant.IDENTITY);
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                fill(1_000).apply(c);
                Schema before = introspect(c);
                String data = checksum(c, TABLE, "id", "x y");
                List<Step> steps = pkg.up().steps();
                StepRunner runner = new StepRunner(c);
                runner.run(steps.stream().filter(s -> s.phase() == io.zerodown.plan.Phase.EXPAND).toList());
                execute(c, "SET zerodown.max_batches = 1");
                Step firstFill = steps.stream().filter(s -> s.kind() == Step.Kind.BACKFILL).findFirst().orElseThrow();
                runner.run(firstFill);
                assertThat(queryLong(c, "SELECT count(*) FROM \"a\"\"b\" WHERE token IS NULL")).as("interrupted after one batch")
                        .isEqualTo(700);
                execute(c, "RESET zerodown.max_batches");
                Step identity = steps.get(steps.size() - 1);
                assertThat(identity.id()).endsWith(".identity");
                runner.run(steps.stream().filter(s -> s.phase() != io.zerodown.plan.Phase.EXPAND && s != identity).toList());
                long filenode = LockObserver.relfilenode(c, TABLE);
                execute(c, "SET client_min_messages = debug1");
                List<String> notices = ConstraintCases.runCollecting(c, List.of(identity));
                execute(c, "RESET client_min_messages");
                assertThat(notices).as("the identity switch neither rewrites nor scans").noneMatch(n -> n.contains("rewriting table")
                        || n.contains("verifying table"));
                assertThat(LockObserver.relfilenode(c, TABLE)).isEqualTo(filenode);
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
                assertThat(queryLong(c, "SELECT count(DISTINCT token) FROM \"a\"\"b\"")).as("random() per row").isGreaterThan(990);
                assertThat(queryString(c, "SELECT min(s) || '-' || max(s) || '-' || count(DISTINCT s) || '-' || min(n) || '-' || max(n) "
                        + "|| '-' || count(DISTINCT n) FROM \"a\"\"b\"")).isEqualTo("1-1000-1000-1-1000-1000");
                assertThat(queryString(c, "SELECT attidentity FROM pg_attribute WHERE attrelid = '\"a\"\"b\"'::regclass AND attname = 'n'"))
                        .isEqualTo("a");
                execute(c, "INSERT INTO \"a\"\"b\" (id, \"x y\") VALUES (5000, 'new')");
                assertThat(queryString(c, "SELECT n || '/' || s FROM \"a\"\"b\" WHERE id = 5000")).isEqualTo("1001/1001");
                assertThatThrownBy(() -> execute(c, "INSERT INTO \"a\"\"b\" (id, \"x y\", n) VALUES (5001, 'x', 7)"))
                        .hasMessageContaining("cannot insert");
                assertThat(queryLong(c, "SELECT count(*) FROM pg_class WHERE relname = 'a\"b_n_zd_seq'")).as("temporary sequence dropped")
                        .isZero();
                assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
                execute(c, "DELETE FROM \"a\"\"b\" WHERE id = 5000");
                new StepRunner(c).run(pkg.down().script().steps());
                assertThat(introspect(c)).isEqualTo(before);
                assertThat(checksum(c, TABLE, "id", "x y")).isEqualTo(data);
                assertThat(queryLong(c, "SELECT count(*) FROM pg_class WHERE relkind = 'S'")).as("no sequence left").isZero();
            }
        }
    }

    /** Rows inserted by old code while the fill runs take the default: no NULL and no duplicate number is left. */
    @Test
    void concurrentInsertsDuringTheFillGetTheDefault() throws Exception {
        MigrationPackage pkg = compile(18, DowntimeTolerance.none(), Variant.SERIAL, Variant.VOLATILE_DEFAULT);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean filling = new AtomicBoolean();
        AtomicLong during = new AtomicLong();
        try (TestDatabase db = PostgresServers.newest().createDatabase(); Connection c = db.connect()) {
            fill(2_000).apply(c);
            StepRunner runner = new StepRunner(c);
            runner.run(pkg.up().steps().stream().filter(s -> s.phase() == io.zerodown.plan.Phase.EXPAND).toList());
            Future<?> writer = executor.submit(() -> {
                try (Connection wc = db.connect()) {
                    for (int id = 10_001; !stop.get(); id++) {
                        execute(wc, "INSERT INTO \"a\"\"b\" (id, \"x y\") VALUES (" + id + ", 'old code')",
                                "UPDATE \"a\"\"b\" SET \"x y\" = 'touched' WHERE id = " + (id % 2_000 + 1));
                        if (filling.get()) {
                            during.incrementAndGet();
                        }
                    }
                }
                return null;
            });
            Thread.sleep(50);
            filling.set(true);
            runner.run(pkg.up().steps().stream().filter(s -> s.phase() != io.zerodown.plan.Phase.EXPAND).toList());
            filling.set(false);
            stop.set(true);
            writer.get(1, TimeUnit.MINUTES);
            assertThat(during.get()).as("inserts overlapped the fill").isGreaterThan(5);
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(queryString(c, "SELECT count(*) FILTER (WHERE s IS NULL OR seen IS NULL) || '/' || (count(*) - count(DISTINCT s)) "
                    + "FROM \"a\"\"b\"")).isEqualTo("0/0");
        } finally {
            executor.shutdownNow();
        }
    }

    /** The hazard for types zerodown does not know: a domain with a CHECK makes even a nullable ADD COLUMN rewrite. */
    @Test
    void aConstrainedDomainRewritesEvenWithoutDefault() throws Exception {
        MigrationPackage pkg = compile(Migration.on(TABLE).addColumn("p", "positive").plan(), 15, DowntimeTolerance.none(), 100);
        assertThat(pkg.risk().hazards()).anyMatch(h -> h.title().equals("The type positive may be a domain"));
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                fill(100).apply(c);
                execute(c, "CREATE DOMAIN positive AS integer CHECK (VALUE > 0)");
                long before = LockObserver.relfilenode(c, TABLE);
                execute(c, "ALTER TABLE \"a\"\"b\" ADD COLUMN p positive");
                assertThat(LockObserver.relfilenode(c, TABLE)).as("rewritten on %s", server.major()).isNotEqualTo(before);
                long plain = LockObserver.relfilenode(c, TABLE);
                execute(c, "ALTER TABLE \"a\"\"b\" ADD COLUMN q integer DEFAULT 1");
                assertThat(LockObserver.relfilenode(c, TABLE)).isEqualTo(plain);
            }
        }
    }

    @Test
    void psqlRunsTheRenderedScriptsTwice() throws Exception {
        if (!"true".equals(System.getenv("ZERODOWN_REQUIRE_PSQL"))) {
            org.assertj.core.api.Assumptions.assumeThat(PgTestSupport.psqlAvailable()).as("psql is not installed").isTrue();
        }
        MigrationPackage pkg = compile(18, DowntimeTolerance.none(), ONLINE);
        try (TestDatabase db = PostgresServers.newest().createDatabase(); Connection c = db.connect()) {
            fill(700).apply(c);
            Schema before = introspect(c);
            assertThat(PgTestSupport.psql(db, pkg.up().sql())).contains("zerodown: up script complete");
            assertThat(PgTestSupport.psql(db, pkg.up().sql())).contains("zerodown: up script complete");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            PgTestSupport.psql(db, pkg.down().script().sql());
            PgTestSupport.psql(db, pkg.down().script().sql());
            assertThat(introspect(c)).isEqualTo(before);
        }
    }

    /** gen_random_uuid() is built in from 13: on 12 (without pgcrypto) the pre-check stops the migration before any step. */
    @Test
    void aFunctionMissingOnTheServerStopsThePreChecks() throws Exception {
        MigrationPlan plan = Migration.on(TABLE).addColumn("uid", "uuid").notNull().defaultValue("gen_random_uuid()").batched(100).plan();
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = compile(plan, server.major(), DowntimeTolerance.none(), 300);
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                fill(300).apply(c);
                List<String> failures = PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()));
                if (server.major() < 13) {
                    assertThat(failures).singleElement().asString().contains("The function gen_random_uuid of the default exists");
                    assertThat(pkg.execution().preChecks()).filteredOn(k -> k.description().contains("gen_random_uuid"))
                            .singleElement().extracting(io.zerodown.plan.Check::ifFailed).asString()
                            .contains("CREATE EXTENSION pgcrypto first");
                } else {
                    assertThat(failures).isEmpty();
                    new StepRunner(c).run(pkg.up().steps());
                    assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
                    assertThat(queryLong(c, "SELECT count(DISTINCT uid) FROM \"a\"\"b\"")).isEqualTo(300);
                }
            }
        }
    }

    @Test
    void notNullWithoutDefaultOnlyOnATableProfiledEmptyAndTheStepRefusesRows() throws Exception {
        MigrationPlan plan = Migration.on(TABLE).addColumn("must", "integer").notNull().plan();
        MigrationPackage pkg = compile(plan, 18, DowntimeTolerance.none(), 0);
        assertThat(pkg.up().steps()).singleElement().extracting(Step::summary).asString().contains("the table is empty");
        try (TestDatabase db = PostgresServers.newest().createDatabase(); Connection c = db.connect()) {
            fill(3).apply(c);
            assertThat(ConstraintCases.failureOf(c, pkg.up().steps())).contains("has rows, so the NOT NULL column");
            execute(c, "DELETE FROM \"a\"\"b\"");
            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
        }
    }

    @Test
    void misuseIsReportedWithEveryProblem() {
        MigrationPlan plan = Migration.on(TABLE)
                .addColumn("must", "integer").notNull()
                .addColumn("g", "text").generatedAs("upper(\"x y\")")
                .addColumn("i", "text").identity()
                .addColumn("d", "integer").defaultValue("id + 1")
                .addColumn("s", "bigserial").defaultValue("7")
                .addColumn("r", "double precision").generatedAs("random()")
                .addColumn("q", "integer").defaultValue("(SELECT 1)")
                .on("nokey").addColumn("u", "timestamptz").defaultValue("clock_timestamp()")
                .plan();
        assertThatThrownBy(() -> Zerodown.compile(plan, DDL, context(15, DowntimeTolerance.none(), 1_000)))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly(
                                "column \"must\" is NOT NULL without a default, so every existing row of \"a\"b\" would violate it "
                                        + "(PostgreSQL checks every row and fails). Give it a default (notNull().defaultValue(…): "
                                        + "instant for a constant), or add it nullable, fill it (backfill(…).with(…)) and then "
                                        + "setNotNull(…). Only on an empty table is this possible: profile \"a\"b\" with 0 rows if "
                                        + "it is empty (a table the plan creates counts as empty)",
                                "column \"g\" is a stored generated column: adding one rewrites \"a\"b\" under ACCESS EXCLUSIVE "
                                        + "(reads and writes blocked for about 3 ms), and PostgreSQL has no way to turn a filled "
                                        + "column into a generated one without that rewrite. Either allow it (a maintenance window "
                                        + "that fits, or a development database), or add a plain column and fill it with "
                                        + "backfill(\"g\").with(\"<expression>\"): batches, with a trigger computing it on "
                                        + "writes until that operation's contract phase, after which the application writes it",
                                "column \"i\" is an identity column of type text; PostgreSQL allows identity only on smallint, "
                                        + "integer or bigint",
                                "the default of column \"d\" reads the column(s) id: a default cannot refer to columns (use "
                                        + "generatedAs(…), or add the column and fill it with backfill(…).with(…))",
                                "column \"s\" is serial, whose values come from a sequence: it cannot also have a default (remove "
                                        + "defaultValue(…))",
                                "the expression of generated column \"r\" calls random, which is volatile; PostgreSQL requires a "
                                        + "generation expression to be immutable",
                                "the default of column \"q\" contains a subquery, which PostgreSQL does not allow in a default; "
                                        + "add the column and fill it with backfill(…).with(…)",
                                "table \"nokey\" has no primary key, which the batched fill of column \"u\" walks (its default "
                                        + "clock_timestamp() is evaluated for every existing row). Add a primary key first (a "
                                        + "unique index built concurrently, then addPrimaryKey), or allow the rewrite (a "
                                        + "maintenance window or a development database)"));
    }

    record Case(String table, String column, Variant variant, int rows, boolean newest) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> names = Arbitraries.of("t", "a\"b", "x y", "$zerodown$", "Ünï Côde", "order");
        return Combinators.combine(names, names, Arbitraries.of(Variant.CONSTANT_DEFAULT, Variant.VOLATILE_DEFAULT_NOT_NULL,
                        Variant.IDENTITY, Variant.SERIAL), Arbitraries.integers().between(0, 150), Arbitraries.of(true, false))
                .as((t, col, v, rows, newest) -> new Case(t, col + "_c", v, rows, newest));
    }

    @Property(tries = 5, shrinking = ShrinkingMode.OFF)
    void roundTripKeepsDataAndCatalog(@ForAll("cases") Case k) throws Exception {
        PostgresServer server = k.newest() ? PostgresServers.newest() : PostgresServers.oldest();
        String ddl = "CREATE TABLE " + PgSql.quote(k.table()) + " (id bigint PRIMARY KEY, other text);";
        TableChanges on = Migration.on(k.table());
        MigrationPlan plan = switch (k.variant()) {
            case CONSTANT_DEFAULT -> on.addColumn(k.column(), "text").notNull().defaultValue("'it''s'").plan();
            case VOLATILE_DEFAULT_NOT_NULL -> on.addColumn(k.column(), "timestamptz").notNull().defaultValue("clock_timestamp()")
                    .batched(40).plan();
            case IDENTITY -> on.addColumn(k.column(), "integer").identity().batched(40).plan();
            default -> on.addColumn(k.column(), "serial").batched(40).plan();
        };
        MigrationPackage pkg = Zerodown.compile(plan, ddl, MigrationContext.builder().name("add_column").author("t@example.com")
                .date(LocalDate.of(2026, 1, 1)).target(Target.postgres(server.major())).downtime(DowntimeTolerance.none())
                .profile(k.table(), TableProfile.of(k.rows(), 5, ReadPattern.MIXED)).build());
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
            execute(c, ddl, "INSERT INTO " + PgSql.quote(k.table()) + " SELECT g, 'o' || g FROM generate_series(1, " + k.rows() + ") g");
            Schema before = introspect(c);
            String data = checksum(c, k.table(), "id", "other");
            new StepRunner(c).run(pkg.up().steps());
            new StepRunner(c).run(pkg.up().steps());
            assertThat(ComparableSchema.of(introspect(c))).as("the up script can run twice").isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            new StepRunner(c).run(pkg.down().script().steps());
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).as("the down script can run twice").isEqualTo(before);
            assertThat(checksum(c, k.table(), "id", "other")).isEqualTo(data);
        }
        assertThat(PackageChecks.simulate(PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps()), pkg.down().script().steps()))
                .isEqualTo(pkg.schemaBefore());
    }
}
