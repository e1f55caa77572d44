package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.checksum;
import static io.zerodown.postgres.PgTestSupport.execute;
import static io.zerodown.postgres.PgTestSupport.introspect;
import static io.zerodown.postgres.PgTestSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerodown.Migration;
import io.zerodown.MigrationValidationException;
import io.zerodown.Problem;
import io.zerodown.Zerodown;
import io.zerodown.dsl.CreateTableOptions;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.Target;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.postgres.testing.ComparableSchema;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.sql.SQLException;
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

/** Creating a table: one CREATE TABLE IF NOT EXISTS, locking only the new table; on 12 and 18. */
class PostgresCreateTableTest {

    static final String DDL = "CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE);";

    static void setup(Connection c) throws SQLException {
        execute(c, DDL, "INSERT INTO users (email) SELECT 'u' || g FROM generate_series(1, 500) g");
    }

    static MigrationPlan plan() {
        return Migration.on("orders").createTable()
                .column("id", "bigserial").primaryKey("id")
                .column("user_id", "bigint").notNull()
                .column("code", "varchar(20)").notNull()
                .column("status", "text").notNull().defaultValue("'new'")
                .column("total", "numeric(12,2)").defaultValue("0")
                .column("tags", "text[]").defaultValue("'{}'")
                .column("created_at", "timestamptz").notNull().defaultValue("now()")
                .unique("user_id", "code")
                .plan();
    }

    static MigrationPackage compile(int major, DowntimeTolerance downtime) {
        return Zerodown.compile(plan(), DDL, MigrationContext.builder().name("create_orders").date(LocalDate.of(2026, 11, 24))
                .target(Target.postgres(major)).downtime(downtime).build());
    }

    @Test
    void golden() {
        MigrationPackage pkg = compile(15, DowntimeTolerance.none());
        assertThat(pkg.up().steps().get(0).statements()).as("the same statement whatever the tolerance")
                .isEqualTo(compile(15, DowntimeTolerance.devOnly()).up().steps().get(0).statements());
        assertThat(pkg.contract().steps()).isEmpty();
        assertThat(pkg.up().steps().get(0).inverse()).isInstanceOfSatisfying(Inverse.Steps.class,
                inverse -> assertThat(inverse.dataLoss()).get().asString().contains("every row written into it since the up script"));
        GoldenFiles.assertMatches("create_table/orders.up.sql", pkg.up().sql());
        GoldenFiles.assertMatches("create_table/orders.down.sql", pkg.down().script().sql());
        GoldenFiles.assertMatches("create_table/orders.verify.sql", PostgresRenameTableTest.render(pkg.verification()));
    }

    @Test
    void locksOnlyTheNewTableAndRoundTrips() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            TableOpChecks.locksAndRoundTrip(server, PostgresCreateTableTest::setup, compile(server.major(), DowntimeTolerance.none()));
        }
    }

    @Test
    void theNewTableBehavesAsDescribedAndTheScriptCanRunTwice() throws Exception {
        MigrationPackage pkg = compile(18, DowntimeTolerance.none());
        try (TestDatabase db = PostgresServers.newest().createDatabase(); Connection c = db.connect()) {
            setup(c);
            Schema before = introspect(c);
            String users = checksum(c, "users", "id", "email");
            new StepRunner(c).run(pkg.up().steps());
            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(rows(c, "INSERT INTO orders (user_id, code) VALUES (1, 'A') RETURNING id, status, total, tags, created_at IS NOT NULL"))
                    .containsExactly(List.of("1", "new", "0.00", "{}", "t"));
            assertThatThrownBy(() -> execute(c, "INSERT INTO orders (user_id, code) VALUES (1, 'A')"))
                    .hasMessageContaining("orders_user_id_code_key");
            assertThatThrownBy(() -> execute(c, "INSERT INTO orders (user_id) VALUES (2)")).hasMessageContaining("\"code\"");
            assertThat(checksum(c, "users", "id", "email")).isEqualTo(users);

            new StepRunner(c).run(pkg.down().script().steps());
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, "users", "id", "email")).isEqualTo(users);
        }
    }

    @Test
    void aDifferentTableOfTheSameNameIsCaughtByTheChecks() throws Exception {
        MigrationPackage pkg = compile(12, DowntimeTolerance.none());
        try (TestDatabase db = PostgresServers.oldest().createDatabase(); Connection c = db.connect()) {
            setup(c);
            execute(c, "CREATE TABLE orders (id bigint PRIMARY KEY, note text)");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks())))
                    .singleElement().asString().contains("No relation is named orders yet");
            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).hasSize(2);
        }
    }

    @Test
    void misuseIsReportedTogether() {
        MigrationPlan plan = Migration.on("t").createTable()
                .column("a", "int").column("a", "text").column("b", "integer(5)").defaultValue("1 +")
                .column("c".repeat(64), "text")
                .primaryKey("a").primaryKey("zz").unique("b", "b")
                .on("empty").createTable()
                .on("u").createTable().column("id", "int").unique("id")
                .on("users").createTable().column("id", "int")
                .plan();
        String ddl = DDL + "\nCREATE INDEX u_id_key ON users (email);";
        assertThatThrownBy(() -> Zerodown.compile(plan, ddl, MigrationContext.builder().name("bad").target(Target.postgres(15)).build()))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .containsExactly(
                                                                "operation 1 (create table t): column \"a\" is defined twice",
                                "operation 1 (create table t): default of column \"b\": not a single SQL expression: '1 +'",
                                "operation 1 (create table t): a table has at most one primary key; primaryKey(…) was given 2 times",
                                "operation 1 (create table t): the unique constraint \"t_b_b_key\" names column \"b\" twice",
                                "operation 1 (create table t): the primary key \"t_pkey\" names column \"zz\", which the table does not define",
                                "operation 2 (create table empty): a table needs at least one column: add them with column(name, type)",
                                "operation 3 (create table u): constraint \"u_id_key\" would create an index of that name, but a relation "
                                        + "named \"u_id_key\" already exists (tables, indexes and sequences share one namespace in PostgreSQL)",
                                "operation 4 (create table users): a table named \"users\" already exists"));
        MigrationPlan typeAndLength = Migration.on("t").createTable().column("b", "integer(5)").column("c".repeat(64), "text").plan();
        assertThatThrownBy(() -> Zerodown.compile(typeAndLength, DDL, MigrationContext.builder().name("bad").target(Target.postgres(15)).build()))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly("column name \"" + "c".repeat(64) + "\" is longer than 63 bytes; PostgreSQL would silently cut it"));
        MigrationPlan badType = Migration.on("t").createTable().column("b", "integer(5)").plan();
        assertThatThrownBy(() -> Zerodown.compile(badType, DDL, MigrationContext.builder().name("bad").target(Target.postgres(15)).build()))
                .hasMessageContaining("type integer(5) is not possible: integer takes no length or precision; write integer");
    }

    record ColumnCase(String name, String type, boolean notNull, String defaultValue) {
    }

    @Provide
    Arbitrary<List<ColumnCase>> columns() {
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of("a\"b", "x y", "$zerodown$", "Ünï", "select", "it's", "UPPER"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8).map(s -> "c_" + s));
        Arbitrary<String[]> typed = Arbitraries.of(
                new String[] {"text", "'x''y'"}, new String[] {"varchar(30)", "'v'"}, new String[] {"integer", "42"},
                new String[] {"bigint", "-7"}, new String[] {"numeric(10,2)", "1.5"}, new String[] {"boolean", "true"},
                new String[] {"timestamptz", "now()"}, new String[] {"date", "CURRENT_DATE"}, new String[] {"jsonb", "'{}'"},
                new String[] {"uuid", null}, new String[] {"bigserial", null});
        return Combinators.combine(names, typed, Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((name, t, notNull, withDefault) -> new ColumnCase(name, t[0], notNull, withDefault ? t[1] : null))
                .list().ofMinSize(1).ofMaxSize(5).uniqueElements(ColumnCase::name)
                .filter(cs -> cs.stream().filter(c -> c.type().equals("bigserial")).count() <= 1);
    }

    /** Generated columns (hostile names, types, defaults, NOT NULL, keys), servers: up, verification, catalog, insert, down. */
    @Property(tries = 6, shrinking = ShrinkingMode.OFF)
    void createsAnyTable(@ForAll("columns") List<ColumnCase> columns, @ForAll boolean newest, @ForAll boolean keyed,
                         @ForAll("tableNames") String table) throws Exception {
        PostgresServer server = newest ? PostgresServers.newest() : PostgresServers.oldest();
        CreateTableOptions create = Migration.on(table).createTable();
        for (ColumnCase c : columns) {
            create = create.column(c.name(), c.type());
            if (c.notNull()) {
                create = create.notNull();
            }
            if (c.defaultValue() != null) {
                create = create.defaultValue(c.defaultValue());
            }
        }
        if (keyed) {
            create = create.primaryKey(columns.get(0).name());
            if (columns.size() > 2) {
                create = create.unique(columns.get(1).name(), columns.get(2).name());
            }
        }
        MigrationPackage pkg = Zerodown.compile(create.plan(), DDL, MigrationContext.builder().name("p")
                .target(Target.postgres(server.major())).downtime(DowntimeTolerance.none()).build());
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
            setup(c);
            Schema before = introspect(c);
            String users = checksum(c, "users", "id", "email");
            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
            if (pkg.schemaAfter().requireTable(io.zerodown.model.TableName.of(table)).columns().stream()
                    .allMatch(col -> col.nullable() || col.defaultValue().isPresent())) {
                execute(c, "INSERT INTO " + PgSql.quote(table) + " DEFAULT VALUES");
            }
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, "users", "id", "email")).isEqualTo(users);
        }
    }

    @Provide
    Arbitrary<String> tableNames() {
        return Arbitraries.of("orders", "a\"b", "x y", "$zerodown$", "Ünï", "semi;colon");
    }
}
