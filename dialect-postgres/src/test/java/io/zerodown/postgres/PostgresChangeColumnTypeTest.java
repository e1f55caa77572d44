package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.checksum;
import static io.zerodown.postgres.PgTestSupport.execute;
import static io.zerodown.postgres.PgTestSupport.introspect;
import static io.zerodown.postgres.PgTestSupport.queryLong;
import static io.zerodown.postgres.PgTestSupport.queryString;
import static io.zerodown.postgres.PgTestSupport.rows;
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
import io.zerodown.plan.LockDuration;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
import io.zerodown.plan.TableWork;
import io.zerodown.plan.Technique;
import io.zerodown.postgres.testing.ComparableSchema;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/** Changing a column's type: in place, direct rewrite, online swap; on 12 and 18. */
class PostgresChangeColumnTypeTest {

    static final String DDL = "CREATE TABLE items (id bigserial PRIMARY KEY, code varchar(20) NOT NULL, price numeric(8,2), "
            + "qty integer NOT NULL DEFAULT 0, note text);\n"
            + "CREATE INDEX items_code ON items (code);\nCREATE INDEX items_qty ON items (qty DESC, id);";

    static final String KEYS_DDL = "CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL);\n"
            + "CREATE TABLE orders (id bigserial PRIMARY KEY, account_id integer NOT NULL REFERENCES accounts (id) CHECK (account_id > 0), "
            + "total numeric(10,2));\nCREATE INDEX orders_account ON orders (account_id);\n"
            + "CREATE TABLE codes (id int PRIMARY KEY, code integer NOT NULL UNIQUE, parent integer REFERENCES codes (code), "
            + "CHECK (parent <> code));";

    static void setup(Connection c, int rows) throws SQLException {
        execute(c, DDL, "INSERT INTO items (code, price, qty, note) SELECT 'c' || g, g * 1.25, g % 1000, "
                + "CASE WHEN g % 3 = 0 THEN NULL ELSE 'n' || g END FROM generate_series(1, " + rows + ") g");
    }

    static void keysSetup(Connection c, int rows) throws SQLException {
        execute(c, KEYS_DDL, "INSERT INTO accounts (name) SELECT 'a' || g FROM generate_series(1, " + rows + ") g",
                "INSERT INTO orders (account_id, total) SELECT 1 + g % " + rows + ", g FROM generate_series(1, " + rows + ") g",
                "INSERT INTO codes SELECT g, g * 10, nullif((g - 1) * 10, 0) FROM generate_series(1, " + rows + ") g");
    }

    static MigrationContext context(int major, DowntimeTolerance downtime, long rows, String... tables) {
        MigrationContext.Builder b = MigrationContext.builder().name("change_type").author("ops@example.com")
                .date(LocalDate.of(2026, 12, 7)).target(Target.postgres(major)).downtime(downtime)
                .rollback(RollbackRequirement.reversibleFor(Duration.ofDays(7)));
        for (String table : tables.length == 0 ? new String[] {"items"} : tables) {
            b.profile(table, TableProfile.of(rows, 100, ReadPattern.MIXED));
        }
        return b.build();
    }

    static MigrationPackage inPlace(int major) {
        return Zerodown.compile(Migration.on("items").changeType("code", "varchar(40)").plan(), DDL,
                context(major, DowntimeTolerance.none(), 5_000_000));
    }

    static MigrationPackage direct(int major) {
        return Zerodown.compile(Migration.on("items").changeType("qty", "bigint").plan(), DDL,
                context(major, DowntimeTolerance.devOnly(), 5_000_000));
    }

    static MigrationPackage online(int major, int batch) {
        return Zerodown.compile(Migration.on("items").changeType("qty", "bigint").batched(batch).plan(), DDL,
                context(major, DowntimeTolerance.none(), 5_000_000));
    }

    static MigrationPackage keysDirect(int major) {
        return Zerodown.compile(Migration.on("accounts").changeType("id", "bigint").plan(), KEYS_DDL,
                context(major, DowntimeTolerance.devOnly(), 1_000_000, "accounts", "orders", "codes"));
    }

    static MigrationPackage keysOnline(int major) {
        return Zerodown.compile(Migration.on("accounts").changeType("id", "bigint").batched(200).plan(), KEYS_DDL,
                context(major, DowntimeTolerance.none(), 1_000_000, "accounts", "orders", "codes"));
    }

    /** The shared database of the server, emptied, the backfills' progress included (it is kept in schema zerodown). */
    static TestDatabase emptyDatabase(PostgresServer server) throws Exception {
        TestDatabase db = KeysFixtures.emptyDatabase(server);
        try (Connection c = db.connect()) {
            execute(c, "DROP SCHEMA IF EXISTS zerodown CASCADE");
        }
        return db;
    }

    /** The referencing side: a foreign key column with an index and a check, online. */
    static MigrationPackage childOnline(int major) {
        return Zerodown.compile(Migration.on("orders").changeType("account_id", "bigint").batched(200).plan(), KEYS_DDL,
                context(major, DowntimeTolerance.none(), 1_000_000, "accounts", "orders", "codes"));
    }

    /** A unique constraint referenced by a foreign key of its own table, and a check, online. */
    static MigrationPackage uniqueOnline(int major) {
        return Zerodown.compile(Migration.on("codes").changeType("code", "bigint").batched(200).plan(), KEYS_DDL,
                context(major, DowntimeTolerance.none(), 1_000_000, "accounts", "orders", "codes"));
    }

    static final String CODES_DDL = "CREATE TABLE regions (code varchar(10) PRIMARY KEY);\n"
            + "CREATE TABLE shops (id int PRIMARY KEY, region varchar(10) REFERENCES regions);";

    static void codesSetup(Connection c, int rows) throws SQLException {
        execute(c, CODES_DDL, "INSERT INTO regions SELECT 'r' || g FROM generate_series(1, " + rows + ") g",
                "INSERT INTO shops SELECT g, 'r' || (1 + g % " + rows + ") FROM generate_series(1, " + rows + ") g");
    }

    /** A foreign key column widened in place: ALTER … TYPE takes ACCESS EXCLUSIVE on the referenced table too. */
    static MigrationPackage foreignKeyInPlace(int major) {
        return Zerodown.compile(Migration.on("shops").changeType("region", "varchar(20)").plan(), CODES_DDL,
                context(major, DowntimeTolerance.none(), 100_000, "regions", "shops"));
    }

    /** In memory: up then contract gives the package's schema after; down undoes up exactly. */
    static void assertDownUndoesUpInMemory(MigrationPackage pkg) {
        Schema up = PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps());
        assertThat(PackageChecks.simulate(up, pkg.contract().steps())).as("simulated up and contract").isEqualTo(pkg.schemaAfter());
        assertThat(PackageChecks.simulate(up, pkg.down().script().steps())).as("down undoes up in memory").isEqualTo(pkg.schemaBefore());
    }

    /**
     * Guards of the online steps are true in a normal run; an INVALID index is left for a repair step, and for the drop of the new
     * key's index, which a completed up and down leave nothing to do for.
     */
    static final PackageChecks.GuardForcer GUARDS = (c, step) -> {
        if (step.kind() == Step.Kind.REPAIR || step.id().contains(".undo_key_index_")) {
            PackageChecks.INVALID_INDEX.force(c, step);
        }
    };

    @Test
    void goldenFiles() {
        MigrationPackage inPlace = inPlace(15);
        MigrationPackage direct = direct(15);
        MigrationPackage online = online(15, 10_000);
        MigrationPackage keys = keysDirect(15);
        MigrationPackage keysOnline = keysOnline(15);
        for (MigrationPackage pkg : List.of(inPlace, direct, online, keys, keysOnline, keysOnline(18), childOnline(15), uniqueOnline(15))) {
            assertDownUndoesUpInMemory(pkg);
        }
        assertThat(inPlace.strategy().techniques()).containsExactly(Technique.DIRECT);
        assertThat(inPlace.up().blockingLockTime()).isZero();
        assertThat(direct.up().steps()).singleElement().satisfies(s -> assertThat(s.locks()).singleElement()
                .satisfies(l -> assertThat(l.work()).isEqualTo(TableWork.REWRITE)));
        assertThat(online.strategy().techniques()).containsExactly(Technique.EXPAND_CONTRACT, Technique.SYNC_TRIGGER,
                Technique.BATCHED_DML, Technique.CONCURRENT_INDEX, Technique.NOT_VALID_THEN_VALIDATE);
        assertThat(online.up().blockingLockTime()).isZero();
        GoldenFiles.assertMatches("change_column_type/in_place.sql", ConstraintCases.golden(inPlace));
        GoldenFiles.assertMatches("change_column_type/direct.sql", ConstraintCases.golden(direct));
        GoldenFiles.assertMatches("change_column_type/online_12_to_17.sql", ConstraintCases.golden(online));
        GoldenFiles.assertMatches("change_column_type/online_18.sql", ConstraintCases.golden(online(18, 10_000)));
        GoldenFiles.assertMatches("change_column_type/key_direct.sql", ConstraintCases.golden(keys));
        GoldenFiles.assertMatches("change_column_type/key_online_12_to_17.sql", ConstraintCases.golden(keysOnline));
        GoldenFiles.assertMatches("change_column_type/key_online_18.sql", ConstraintCases.golden(keysOnline(18)));
        GoldenFiles.assertMatches("change_column_type/foreign_key_column_online.sql", ConstraintCases.golden(childOnline(15)));
        GoldenFiles.assertMatches("change_column_type/unique_online.sql", ConstraintCases.golden(uniqueOnline(15)));
        MigrationPackage fkInPlace = foreignKeyInPlace(15);
        assertDownUndoesUpInMemory(fkInPlace);
        assertThat(fkInPlace.up().steps()).singleElement().satisfies(step -> assertThat(step.locks()).extracting(l -> l.relation())
                .containsExactly("shops", "regions"));
        GoldenFiles.assertMatches("change_column_type/foreign_key_in_place.sql", ConstraintCases.golden(fkInPlace));
        assertThat(keysOnline.notes()).anyMatch(n -> n.startsWith("The referencing columns orders.account_id (integer) keep their type"));
    }

    @Test
    void locksAndRoundTrip() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            PackageChecks.locksAndRoundTrip(server, c -> setup(c, 1_500), inPlace(server.major()), GUARDS);
            PackageChecks.locksAndRoundTrip(server, c -> setup(c, 1_500), direct(server.major()), GUARDS);
            PackageChecks.locksAndRoundTrip(server, c -> setup(c, 1_500), online(server.major(), 400), GUARDS);
            PackageChecks.locksAndRoundTrip(server, c -> keysSetup(c, 500), keysDirect(server.major()), GUARDS);
            PackageChecks.locksAndRoundTrip(server, c -> keysSetup(c, 500), keysOnline(server.major()), GUARDS);
            PackageChecks.locksAndRoundTrip(server, c -> keysSetup(c, 500), childOnline(server.major()), GUARDS);
            PackageChecks.locksAndRoundTrip(server, c -> keysSetup(c, 500), uniqueOnline(server.major()), GUARDS);
            PackageChecks.locksAndRoundTrip(server, c -> codesSetup(c, 300), foreignKeyInPlace(server.major()), GUARDS);
        }
    }

    @Test
    void durationClasses() throws Exception {
        PostgresServer newest = PostgresServers.newest();
        PackageChecks.durationClasses(newest, n -> c -> setup(c, n), 2_000, 100_000, inPlace(18));
        PackageChecks.durationClasses(newest, n -> c -> setup(c, n), 2_000, 100_000, direct(18));
        PackageChecks.durationClasses(newest, n -> c -> setup(c, n), 2_000, 60_000, online(18, 20_000));
    }

    @Test
    void inPlaceKeepsValuesAndItsDownRefusesValuesThatNoLongerFit() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = inPlace(server.major());
            TestDatabase db = emptyDatabase(server);
            try (Connection c = db.connect()) {
                setup(c, 300);
                Schema before = introspect(c);
                String data = checksum(c, "items", "id", "code", "price", "qty", "note");
                execute(c, "CREATE VIEW codes_view AS SELECT code FROM items");
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks())))
                        .singleElement().asString().contains("No view or rule reads items.code");
                assertThat(ConstraintCases.failureOf(c, pkg.up().steps())).contains("cannot alter type of a column used by a view or rule");
                execute(c, "DROP VIEW codes_view");
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
                long table = LockObserver.relfilenode(c, "items");
                long index = LockObserver.relfilenode(c, "items_code");
                new StepRunner(c).run(pkg.up().steps());
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
                assertThat(LockObserver.relfilenode(c, "items")).as("no rewrite").isEqualTo(table);
                assertThat(LockObserver.relfilenode(c, "items_code")).as("index kept").isEqualTo(index);
                assertThat(checksum(c, "items", "id", "code", "price", "qty", "note")).isEqualTo(data);
                execute(c, "UPDATE items SET code = '" + "x".repeat(30) + "' WHERE id = 7");

                assertThat(ConstraintCases.failureOf(c, pkg.down().script().steps()))
                        .contains("some values of items.code do not fit character varying(20)");
                assertThat(queryString(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass "
                        + "AND attname = 'code'")).as("nothing changed").isEqualTo("character varying(40)");
                execute(c, "UPDATE items SET code = 'c7' WHERE id = 7");
                new StepRunner(c).run(pkg.down().script().steps());
                new StepRunner(c).run(pkg.down().script().steps());
                assertThat(introspect(c)).isEqualTo(before);
                assertThat(checksum(c, "items", "id", "code", "price", "qty", "note")).isEqualTo(data);
            }
        }
    }

    @Test
    void onlineSwapConvertsSyncsBothWaysResumesAndRollsBackWithoutLoss() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = online(server.major(), 300);
            List<Step> up = pkg.up().steps();
            TestDatabase db = emptyDatabase(server);
            try (Connection c = db.connect()) {
                setup(c, 1_000);
                Schema before = introspect(c);
                StepRunner runner = new StepRunner(c);
                runner.run(up.get(0));
                // old code writes qty (and omits it, taking the default) while the new column exists
                execute(c, "UPDATE items SET qty = 4242 WHERE id = 5", "INSERT INTO items (code) VALUES ('old code')");
                assertThat(rows(c, "SELECT zd_new_qty FROM items WHERE id = 5 OR code = 'old code' ORDER BY id"))
                        .containsExactly(List.of("4242"), List.of("0"));
                // interrupted after one batch, then the whole script again: it resumes, and skips what is done
                execute(c, "SET zerodown.max_batches = 1");
                runner.run(up.get(1));
                execute(c, "RESET zerodown.max_batches");
                assertThat(queryLong(c, "SELECT count(*) FROM items WHERE zd_new_qty IS NULL")).isEqualTo(1_001 - 300 - 1);
                runner.run(up);
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
                runner.run(up);
                assertThat(ComparableSchema.of(introspect(c))).as("running the up script again changes nothing")
                        .isEqualTo(ComparableSchema.of(PackageChecks.simulate(pkg.schemaBefore(), up)));
                assertThat(queryLong(c, "SELECT count(*) FROM items WHERE qty <> (id % 1000) AND id NOT IN (5, 1001)")).isZero();
                assertThat(queryString(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass "
                        + "AND attname = 'qty'")).isEqualTo("bigint");

                // new code: a value integer cannot hold is kept in qty, the old column gets NULL, and the down refuses to lose it
                execute(c, "UPDATE items SET qty = 5000000000 WHERE id = 9", "INSERT INTO items (code) VALUES ('new code')");
                assertThat(rows(c, "SELECT qty, zd_old_qty FROM items WHERE id = 9 OR code = 'new code' ORDER BY id"))
                        .containsExactly(Arrays.asList("5000000000", null), List.of("0", "0"));
                assertThat(ConstraintCases.failureOf(c, pkg.down().script().steps()))
                        .contains("some values of items.qty cannot be held by integer (written since the swap)");
                execute(c, "UPDATE items SET qty = 9 WHERE id = 9", "DELETE FROM items WHERE code IN ('new code', 'old code')",
                        "UPDATE items SET qty = 5 WHERE id = 5");
                new StepRunner(c).run(pkg.down().script().steps());
                new StepRunner(c).run(pkg.down().script().steps());
                assertThat(introspect(c)).isEqualTo(before);
                assertThat(queryLong(c, "SELECT count(*) FROM items WHERE qty <> id % 1000")).isZero();
            }
        }
    }

    @Test
    void aLossyConversionRunsAsTheAuthorStatesIt() throws Exception {
        String ddl = "CREATE TABLE m (id int PRIMARY KEY, amount text);";
        MigrationPlan plan = Migration.on("m").changeType("amount", "integer").using("nullif(btrim(amount), '')::integer").plan();
        PostgresServer server = PostgresServers.newest();
        for (DowntimeTolerance downtime : List.of(DowntimeTolerance.devOnly(), DowntimeTolerance.none())) {
            MigrationPackage pkg = Zerodown.compile(plan, ddl, context(18, downtime, 100, "m"));
            TestDatabase db = emptyDatabase(server);
            try (Connection c = db.connect()) {
                execute(c, ddl, "INSERT INTO m VALUES (1, '12'), (2, ' 7 '), (3, ''), (4, NULL), (5, 'x')");
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks())))
                        .singleElement().asString().contains("The conversion to integer works");
                execute(c, "UPDATE m SET amount = '5' WHERE id = 5");
                new StepRunner(c).run(pkg.up().steps());
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
                assertThat(rows(c, "SELECT amount FROM m ORDER BY id")).containsExactly(List.of("12"), List.of("7"), Arrays.asList((String) null),
                        Arrays.asList((String) null), List.of("5"));
                new StepRunner(c).run(pkg.down().script().steps());
                assertThat(rows(c, "SELECT amount FROM m ORDER BY id")).as(downtime.toString()).containsExactly(List.of("12"),
                        List.of(downtime instanceof DowntimeTolerance.DevOnly ? "7" : " 7 "), downtime instanceof DowntimeTolerance.DevOnly
                                ? Arrays.asList((String) null) : List.of(""), Arrays.asList((String) null), List.of("5"));
            }
            assertThat(pkg.down().dataLoss().isEmpty()).isEqualTo(!(downtime instanceof DowntimeTolerance.DevOnly));
        }
    }

    @Test
    void concurrentWritersLeaveNoStaleRow() throws Exception {
        MigrationPackage pkg = online(18, 500);
        int rows = 12_000;
        ExecutorService executor = Executors.newFixedThreadPool(2);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean backfilling = new AtomicBoolean();
        AtomicLong during = new AtomicLong();
        TestDatabase db = emptyDatabase(PostgresServers.newest());
            try (Connection c = db.connect()) {
            setup(c, rows);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                writers.add(executor.submit(() -> {
                    try (Connection wc = db.connect()) {
                        write(wc, rows, stop, backfilling, during);
                    }
                    return null;
                }));
            }
            Thread.sleep(200);
            backfilling.set(true);
            new StepRunner(c).run(pkg.up().steps());
            backfilling.set(false);
            Thread.sleep(200);
            stop.set(true);
            for (Future<?> f : writers) {
                f.get(1, TimeUnit.MINUTES);
            }
            assertThat(during.get()).as("writes overlapped the migration").isGreaterThan(50);
            assertThat(CheckRunner.run(c, pkg.verification())).allSatisfy(r -> assertThat(r.passed()).as(r.toString()).isTrue());
            assertThat(queryLong(c, "SELECT count(*) FROM items WHERE qty IS DISTINCT FROM zd_old_qty")).as("zero stale rows").isZero();
        } finally {
            stop.set(true);
            executor.shutdownNow();
        }
    }

    /** Old and new code alike write qty (the name never changes), insert rows, and write other columns. */
    private static void write(Connection wc, int rows, AtomicBoolean stop, AtomicBoolean backfilling, AtomicLong during) throws Exception {
        try (PreparedStatement qty = wc.prepareStatement("UPDATE items SET qty = ? WHERE id = ?");
             PreparedStatement other = wc.prepareStatement("UPDATE items SET note = coalesce(note, '') || '.' WHERE id = ?");
             PreparedStatement insert = wc.prepareStatement("INSERT INTO items (code, qty) VALUES (?, ?)");
             PreparedStatement insertDefault = wc.prepareStatement("INSERT INTO items (code) VALUES (?)")) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!stop.get()) {
                long id = random.nextLong(1, rows + 1);
                int n = random.nextInt(1_000_000);
                switch (random.nextInt(4)) {
                    case 0 -> {
                        qty.setInt(1, n);
                        qty.setLong(2, id);
                        qty.executeUpdate();
                    }
                    case 1 -> {
                        other.setLong(1, id);
                        other.executeUpdate();
                    }
                    case 2 -> {
                        insert.setString(1, "w" + n);
                        insert.setInt(2, n);
                        insert.executeUpdate();
                    }
                    default -> {
                        insertDefault.setString(1, "d" + n);
                        insertDefault.executeUpdate();
                    }
                }
                if (backfilling.get()) {
                    during.incrementAndGet();
                }
            }
        }
    }

    @Test
    void misuseIsReportedTogether() {
        String ddl = DDL + "\nCREATE TABLE logs (line text, level int);\n"
                + "CREATE TABLE tags (id int PRIMARY KEY, code integer, a int, b int GENERATED ALWAYS AS (a * 2) STORED, UNIQUE (code, id));\n"
                + "CREATE TABLE pairs (x int, y int, PRIMARY KEY (x, y));";
        MigrationPlan plan = Migration.on("items")
                .changeType("code", "varchar(20)")
                .changeType("code", "varchar(10)")
                .changeType("price", "numeric(8,1)")
                .changeType("id", "integer")
                .changeType("note", "integer")
                .changeType("qty", "bigserial")
                .changeType("qty", "integer(5)")
                .changeType("nope", "text").batched(0)
                .on("logs").changeType("level", "bigint")
                .on("tags").changeType("code", "bigint")
                .changeType("a", "bigint")
                .on("pairs").changeType("y", "bigint")
                .plan();
        assertThatThrownBy(() -> Zerodown.compile(plan, ddl, context(15, DowntimeTolerance.none(), 1_000, "items")))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .containsExactly(
                                op(1, "code to varchar(20)") + "column \"code\" of table \"items\" is already character varying(20): there is "
                                        + "nothing to do",
                                op(2, "code to varchar(10)") + "changing \"items\".\"code\" from character varying(20) to character varying(10) "
                                        + "can lose data: values longer than 10 characters cannot be stored (the plain conversion fails on them, an "
                                        + "explicit cast would cut them). Check the data first, then state the conversion with using(…) (e.g. "
                                        + "using(\"code::character varying(10)\")), or choose a type that holds every value",
                                op(3, "price to numeric(8,1)") + "changing \"items\".\"price\" from numeric(8,2) to numeric(8,1) can lose data: "
                                        + "values with more than 1 decimal place are rounded, and values of 1e7 or more in magnitude cannot be "
                                        + "stored. Check the data first, then state the conversion with using(…) (e.g. using(\"price::numeric(8,1)\")), "
                                        + "or choose a type that holds every value",
                                op(4, "id to integer") + "changing \"items\".\"id\" from bigint to integer can lose data: values outside "
                                        + "-2147483648 to 2147483647 cannot be stored. Check the data first, then state the conversion with using(…) "
                                        + "(e.g. using(\"id::integer\")), or choose a type that holds every value",
                                op(5, "note to integer") + "changing \"items\".\"note\" from text to integer can lose data: not every text value "
                                        + "converts to integer: the conversion can fail on some rows or change their values. Check the data first, "
                                        + "then state the conversion with using(…) (e.g. using(\"note::integer\")), or choose a type that holds every value",
                                op(6, "qty to bigserial") + "type bigserial is a serial type, not a column type: change the column to bigint (a "
                                        + "serial column keeps its sequence and default)",
                                op(7, "qty to integer(5)") + "the new type: type integer(5) is not possible: integer takes no length or precision; "
                                        + "write integer",
                                op(8, "nope to text") + "unknown column \"nope\" in table \"items\" (did you mean \"note\" or \"code\"?)",
                                op(8, "nope to text") + "batch size must be at least 1, got 0",
                                "operation 9 (change type of logs.level to bigint): table \"logs\" has no primary key; the batched backfill of "
                                        + "the new column walks the primary key. Add one first (a unique index built concurrently, then ADD PRIMARY "
                                        + "KEY USING INDEX)" + INSTEAD,
                                "operation 10 (change type of tags.code to bigint): column \"code\" is part of the unique constraint "
                                        + "\"tags_code_id_key\" of 2 columns; changing the type of a column of a composite key online is not "
                                        + "implemented yet (a key of one column is)" + INSTEAD,
                                "operation 11 (change type of tags.a to bigint): column \"a\" is used by the generated column \"b\"; PostgreSQL "
                                        + "refuses to change its type. Drop the generated column first and add it again afterwards",
                                "operation 12 (change type of pairs.y to bigint): column \"y\" is part of the primary key \"pairs_pkey\" of 2 "
                                        + "columns; changing the type of a column of a composite key online is not implemented yet (a key of one "
                                        + "column is)" + INSTEAD));
    }

    private static final String INSTEAD = "; or allow downtime (dev-only, or a maintenance window the rewrite fits in) for the direct "
            + "ALTER … TYPE";

    private static String op(int n, String what) {
        return "operation " + n + " (change type of items." + what + "): ";
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.of("a\"b", "x y", "$zerodown$", "Ünï Côde", "select", "it's", "$function$", "zd_row"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8).map(s -> "c_" + s));
    }

    /**
     * Generated names, variants (in place, direct, online, online with using), servers and sizes: up, verification, catalog as
     * simulated, converted values, down restoring catalog and data; and down after up in memory.
     */
    @Property(tries = 6, shrinking = ShrinkingMode.OFF)
    void roundTripWithHostileNames(@ForAll("names") String table, @ForAll("names") String column,
                                   @ForAll("variants") int variant, @ForAll boolean newest) throws Exception {
        PostgresServer server = newest ? PostgresServers.newest() : PostgresServers.oldest();
        String t = table + "_t";
        String col = column + "_c";
        String oldType = variant == 0 ? "varchar(10)" : variant == 3 ? "text" : "integer NOT NULL DEFAULT 7";
        String ddl = "CREATE TABLE " + PgSql.quote(t) + " (" + PgSql.quote("k \"ey") + " integer PRIMARY KEY, " + PgSql.quote(col) + " "
                + oldType + ", other text);\nCREATE INDEX " + PgSql.quote(col + " idx") + " ON " + PgSql.quote(t) + " (" + PgSql.quote(col) + ");";
        var change = Migration.on(t).changeType(col, variant == 0 ? "text" : variant == 3 ? "integer" : "bigint").batched(17);
        MigrationPlan plan = variant == 3 ? change.using("nullif(btrim(" + PgSql.quote(col) + "), '')::integer").plan() : change.plan();
        MigrationPackage pkg = Zerodown.compile(plan, ddl, context(server.major(), variant == 1 ? DowntimeTolerance.devOnly()
                : DowntimeTolerance.none(), 100, t));
        assertDownUndoesUpInMemory(pkg);
        TestDatabase db = emptyDatabase(server);
        try (Connection c = db.connect()) {
            execute(c, ddl, "INSERT INTO " + PgSql.quote(t) + " SELECT g, " + (variant == 3 ? "CASE WHEN g % 5 = 0 THEN ' ' ELSE ' ' || g END"
                    : variant == 0 ? "'v' || g" : "g * 3") + ", 'o' || g FROM generate_series(1, 60) g");
            Schema before = introspect(c);
            String data = checksum(c, t, "k \"ey", col, "other");
            String converted = queryString(c, "SELECT md5(string_agg(coalesce(" + (variant == 3 ? "nullif(btrim(" + PgSql.quote(col) + "), '')::integer"
                    : PgSql.quote(col)) + "::text, '-'), ',' ORDER BY 1)) FROM " + PgSql.quote(t));
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps())));
            assertThat(queryString(c, "SELECT md5(string_agg(coalesce(" + PgSql.quote(col) + "::text, '-'), ',' ORDER BY 1)) FROM " + PgSql.quote(t)))
                    .as("values converted").isEqualTo(converted);
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, t, "k \"ey", col, "other")).isEqualTo(data);
        }
    }

    @Provide
    Arbitrary<Integer> variants() {
        return Arbitraries.integers().between(0, 3);
    }

    @Test
    void primaryKeyMovesToBigintWithItsSequenceAndForeignKeysAndRollsBack() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = keysOnline(server.major());
            TestDatabase db = emptyDatabase(server);
            try (Connection c = db.connect()) {
                keysSetup(c, 700);
                Schema before = introspect(c);
                String accounts = checksum(c, "accounts", "id", "name");
                String orders = checksum(c, "orders", "id", "account_id", "total");
                new StepRunner(c).run(pkg.up().steps());
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
                assertThat(checksum(c, "accounts", "id", "name")).isEqualTo(accounts);
                assertThat(queryString(c, "SELECT format_type(seqtypid, NULL) || ' ' || seqmax FROM pg_sequence WHERE seqrelid = "
                        + "'accounts_id_seq'::regclass")).isEqualTo("bigint 9223372036854775807");
                assertThatThrownBy(() -> execute(c, "INSERT INTO orders (account_id) VALUES (100000)"))
                        .as("the foreign key is enforced").hasMessageContaining("orders_account_id_fkey");
                // new code: the sequence passes integer's range; the row is written, the old column keeps NULL for it
                execute(c, "SELECT setval('accounts_id_seq', 3000000000)", "INSERT INTO accounts (name) VALUES ('big')");
                assertThat(rows(c, "SELECT id, zd_old_id FROM accounts WHERE name = 'big'")).containsExactly(Arrays.asList("3000000001", null));
                assertThat(ConstraintCases.failureOf(c, pkg.down().script().steps()))
                        .contains("some values of accounts.id cannot be held by integer (written since the swap)");
                execute(c, "DELETE FROM accounts WHERE name = 'big'", "SELECT setval('accounts_id_seq', 700)");
                new StepRunner(c).run(pkg.down().script().steps());
                assertThat(introspect(c)).isEqualTo(before);
                assertThat(checksum(c, "accounts", "id", "name")).isEqualTo(accounts);
                assertThat(checksum(c, "orders", "id", "account_id", "total")).isEqualTo(orders);
                assertThat(queryString(c, "SELECT format_type(seqtypid, NULL) FROM pg_sequence WHERE seqrelid = 'accounts_id_seq'::regclass"))
                        .isEqualTo("integer");
                new StepRunner(c).run(pkg.up().steps());
                new StepRunner(c).run(pkg.contract().steps());
                assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
                execute(c, "INSERT INTO accounts (name) VALUES ('after contract')");
            }
        }
    }

    @Test
    void aMaintenanceWindowTakesTheRewriteOnlyWhenItFits() {
        MigrationPlan plan = Migration.on("items").changeType("qty", "bigint").plan();
        DowntimeTolerance window = DowntimeTolerance.maintenanceWindow(Duration.ofMinutes(1));
        MigrationPackage fits = Zerodown.compile(plan, DDL, context(15, window, 1_000_000));
        assertThat(fits.strategy().techniques()).containsExactly(Technique.DIRECT, Technique.MAINTENANCE_WINDOW);
        assertThat(fits.up().steps()).singleElement().satisfies(s -> assertThat(s.locks().get(0).duration())
                .isInstanceOf(LockDuration.ProportionalToRows.class));
        MigrationPackage tooLong = Zerodown.compile(plan, DDL, context(15, window, 50_000_000));
        assertThat(tooLong.strategy().techniques()).startsWith(Technique.EXPAND_CONTRACT);
        assertThat(tooLong.strategy().reasons().get(0)).contains("longer than the 1 min maintenance window");
        assertThat(tooLong.up().blockingLockTime()).isZero();
    }

    @Test
    void renamingAColumnInMemoryCarriesItsIndexesKeysAndReferences() {
        Schema schema = Zerodown.parseSchema(Target.postgres(15), KEYS_DDL);
        Schema renamed = new io.zerodown.plan.SchemaChange.RenameColumn(io.zerodown.model.TableName.of("codes"),
                io.zerodown.model.ColumnName.of("code"), io.zerodown.model.ColumnName.of("k")).apply(schema);
        io.zerodown.model.schema.Table codes = renamed.requireTable(io.zerodown.model.TableName.of("codes"));
        assertThat(codes.columns()).extracting(col -> col.name().value()).containsExactly("id", "k", "parent");
        assertThat(codes.constraints()).filteredOn(k -> k instanceof io.zerodown.model.schema.Constraint.Unique)
                .singleElement().satisfies(k -> assertThat(k.columns()).extracting(n -> n.value()).containsExactly("k"));
        assertThat(codes.constraints()).filteredOn(k -> k instanceof io.zerodown.model.schema.Constraint.ForeignKey).singleElement()
                .satisfies(k -> assertThat(((io.zerodown.model.schema.Constraint.ForeignKey) k).referencedColumns())
                        .extracting(n -> n.value()).containsExactly("k"));
        Schema orders = new io.zerodown.plan.SchemaChange.RenameColumn(io.zerodown.model.TableName.of("accounts"),
                io.zerodown.model.ColumnName.of("id"), io.zerodown.model.ColumnName.of("key")).apply(schema);
        assertThat(orders.requireTable(io.zerodown.model.TableName.of("orders")).constraints())
                .filteredOn(k -> k instanceof io.zerodown.model.schema.Constraint.ForeignKey).singleElement()
                .satisfies(k -> assertThat(((io.zerodown.model.schema.Constraint.ForeignKey) k).referencedColumns())
                        .extracting(n -> n.value()).containsExactly("key"));
        assertThat(orders.requireTable(io.zerodown.model.TableName.of("accounts")).primaryKey().orElseThrow().columns())
                .extracting(n -> n.value()).containsExactly("key");
        assertThatThrownBy(() -> new io.zerodown.plan.SchemaChange.RenameColumn(io.zerodown.model.TableName.of("codes"),
                io.zerodown.model.ColumnName.of("code"), io.zerodown.model.ColumnName.of("id")).apply(schema))
                .hasMessage("column \"id\" already exists on \"codes\"");
    }

    @Test
    void conversionsAsData() {
        record Case(String from, String to, PgTypeConversion.Kind kind) {
        }
        for (Case k : List.of(new Case("varchar(10)", "varchar(20)", PgTypeConversion.Kind.IN_PLACE),
                new Case("varchar(10)", "text", PgTypeConversion.Kind.IN_PLACE),
                new Case("text", "varchar", PgTypeConversion.Kind.IN_PLACE),
                new Case("numeric(5,2)", "numeric(7,2)", PgTypeConversion.Kind.IN_PLACE),
                new Case("numeric(5,2)", "numeric", PgTypeConversion.Kind.IN_PLACE),
                new Case("varbit(5)", "varbit(9)", PgTypeConversion.Kind.IN_PLACE),
                new Case("timestamp(3)", "timestamp(6)", PgTypeConversion.Kind.IN_PLACE),
                new Case("cidr", "inet", PgTypeConversion.Kind.IN_PLACE),
                new Case("varchar(10)[]", "text[]", PgTypeConversion.Kind.EXACT_REWRITE),
                new Case("integer", "bigint", PgTypeConversion.Kind.EXACT_REWRITE),
                new Case("numeric(5,2)", "numeric(7,3)", PgTypeConversion.Kind.EXACT_REWRITE),
                new Case("char(5)", "text", PgTypeConversion.Kind.EXACT_REWRITE),
                new Case("int", "numeric(10,0)", PgTypeConversion.Kind.EXACT_REWRITE),
                new Case("int", "numeric(9,0)", PgTypeConversion.Kind.LOSSY),
                new Case("text", "varchar(10)", PgTypeConversion.Kind.LOSSY),
                new Case("numeric(5,2)", "numeric(7,1)", PgTypeConversion.Kind.LOSSY),
                new Case("timestamp", "timestamptz", PgTypeConversion.Kind.LOSSY),
                new Case("int[]", "int", PgTypeConversion.Kind.LOSSY),
                new Case("bigint", "bigint", PgTypeConversion.Kind.SAME))) {
            assertThat(PgTypeConversion.classify(pg(k.from()), pg(k.to()))).as(k.from() + " to " + k.to()).isEqualTo(k.kind());
        }
    }

    private static io.zerodown.model.SqlType pg(String type) {
        return new io.zerodown.postgres.schema.PostgresConventions().columnType(io.zerodown.model.SqlType.parse(type)).type();
    }

    @Test
    void inPlaceClaimsHoldOnTheServers() throws Exception {
        // each conversion the table calls in place keeps the table's and the index's files on 12 and 18; one that rewrites does not
        List<String[]> cases = List.of(new String[] {"varchar(10)", "varchar(20)", "'a'"}, new String[] {"varchar(10)", "text", "'a'"},
                new String[] {"text", "varchar", "'a'"}, new String[] {"numeric(5,2)", "numeric(7,2)", "1.5"},
                new String[] {"numeric(5,2)", "numeric", "1.5"}, new String[] {"varbit(5)", "varbit(9)", "B'101'"},
                new String[] {"timestamp(3)", "timestamp(6)", "now()"}, new String[] {"timestamptz(3)", "timestamptz", "now()"},
                new String[] {"time(3)", "time(6)", "now()"}, new String[] {"cidr", "inet", "'10.0.0.0/8'"},
                new String[] {"varchar(10)[]", "text[]", "'{a}'"}, new String[] {"integer", "bigint", "1"},
                new String[] {"char(5)", "varchar(10)", "'a'"});
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            TestDatabase db = emptyDatabase(server);
            try (Connection c = db.connect()) {
                for (String[] k : cases) {
                    execute(c, "DROP TABLE IF EXISTS conv", "CREATE TABLE conv (id int PRIMARY KEY, v " + k[0] + ")",
                            "CREATE INDEX conv_v ON conv (v)", "INSERT INTO conv SELECT g, " + k[2] + " FROM generate_series(1, 20) g");
                    long table = LockObserver.relfilenode(c, "conv");
                    long index = LockObserver.relfilenode(c, "conv_v");
                    execute(c, "ALTER TABLE conv ALTER COLUMN v TYPE " + pg(k[1]).sql() + " USING v::" + pg(k[1]).sql());
                    boolean inPlace = PgTypeConversion.classify(pg(k[0]), pg(k[1])) == PgTypeConversion.Kind.IN_PLACE;
                    assertThat(LockObserver.relfilenode(c, "conv") == table).as("%s to %s on %s: table kept", k[0], k[1], server.major())
                            .isEqualTo(inPlace);
                    assertThat(LockObserver.relfilenode(c, "conv_v") == index).as("%s to %s on %s: index kept", k[0], k[1], server.major())
                            .isEqualTo(inPlace);
                }
            }
        }
    }

    @Test
    void psqlRunsTheRenderedScriptsTwice() throws Exception {
        if (!"true".equals(System.getenv("ZERODOWN_REQUIRE_PSQL"))) {
            org.assertj.core.api.Assumptions.assumeThat(PgTestSupport.psqlAvailable()).as("psql is not installed").isTrue();
        }
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = keysOnline(server.major());
            TestDatabase db = emptyDatabase(server);
            try (Connection c = db.connect()) {
                keysSetup(c, 400);
                Schema before = introspect(c);
                String accounts = checksum(c, "accounts", "id", "name");
                assertThat(PgTestSupport.psql(db, pkg.up().sql())).contains("zerodown: up script complete");
                assertThat(PgTestSupport.psql(db, pkg.up().sql())).contains("step 1 not needed, skipped", "step 2 not needed, skipped");
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
                PgTestSupport.psql(db, pkg.down().script().sql());
                PgTestSupport.psql(db, pkg.down().script().sql());
                assertThat(introspect(c)).isEqualTo(before);
                assertThat(checksum(c, "accounts", "id", "name")).isEqualTo(accounts);
            }
        }
    }
}
