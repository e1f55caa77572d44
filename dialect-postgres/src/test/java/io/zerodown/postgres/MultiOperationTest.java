package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.checksum;
import static io.zerodown.postgres.PgTestSupport.execute;
import static io.zerodown.postgres.PgTestSupport.introspect;
import static io.zerodown.postgres.PgTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import io.zerodown.Migration;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Phase;
import io.zerodown.plan.Step;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckRunner;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Several operations on two tables in one migration, written in an order that would fail if run
 * as written (the index and NOT NULL before the backfill that fills the column): the package runs
 * them phase by phase, so the backfill comes first, the index is built and the constraints are
 * validated on the filled data, and the foreign key's validation follows its index.
 */
class MultiOperationTest {

    static final String DDL = """
            CREATE TABLE users (id BIGSERIAL PRIMARY KEY, email VARCHAR(255) UNIQUE NOT NULL, full_name VARCHAR(255), created_at TIMESTAMPTZ DEFAULT NOW());
            CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total numeric(12,2));
            """;

    static final MigrationPlan PLAN = Migration.on("users")
            .createIndex("full_name").named("users_full_name_idx")
            .setNotNull("full_name")
            .backfill("full_name").with("coalesce(full_name, email)").batched(100)
            .on("orders")
            .addCheck("total >= 0").named("orders_total_check")
            .addForeignKey("user_id").references("users").named("orders_user_id_fkey")
            .plan();

    static PackageChecks.Setup fill(int rows) {
        return c -> execute(c, DDL,
                "INSERT INTO users (email, full_name) SELECT 'u' || g || '@example.com', CASE WHEN g % 3 = 0 THEN NULL ELSE 'Name ' || g END "
                        + "FROM generate_series(1, " + rows + ") g",
                "INSERT INTO orders SELECT g, CASE WHEN g % 4 = 0 THEN NULL ELSE 1 + g % " + rows + " END, g * 1.5 FROM generate_series(1, "
                        + rows + ") g");
    }

    static MigrationPackage compile(int major) {
        return ConstraintCases.compile(PLAN, DDL, major, DowntimeTolerance.none(), 2_000_000, "users", "orders");
    }

    @Test
    void goldenFiles() {
        GoldenFiles.assertMatches("multi_operation/index_not_null_backfill_check_fk_15.sql", ConstraintCases.golden(compile(15)));
        GoldenFiles.assertMatches("multi_operation/index_not_null_backfill_check_fk_18.sql", ConstraintCases.golden(compile(18)));
    }

    @Test
    void theDataComesBeforeTheIndexAndTheConstraintsThatNeedIt() {
        for (int major : List.of(12, 18)) {
            List<Step> up = compile(major).up().steps();
            int lastBackfill = lastIndexOf(up, s -> s.kind() == Step.Kind.BACKFILL);
            assertThat(lastBackfill).as("the backfill is in the up script").isNotNegative();
            assertThat(up.subList(0, lastBackfill)).as("nothing before the backfill builds or validates")
                    .allMatch(s -> s.phase().compareTo(Phase.BACKFILL) <= 0);
            List<String> afterBackfill = up.subList(lastBackfill + 1, up.size()).stream().map(Step::id).toList();
            assertThat(afterBackfill).as("index build and NOT NULL after the backfill")
                    .anyMatch(id -> id.startsWith("1.users.") && id.endsWith(".build"))
                    .anyMatch(id -> id.startsWith("2.users.") && id.contains("validate"));
            int fkIndex = indexOf(up, s -> s.id().startsWith("5.orders.") && s.kind() == Step.Kind.INDEX_BUILD);
            int fkValidate = indexOf(up, s -> s.id().startsWith("5.orders.") && s.id().contains("validate"));
            assertThat(fkIndex).as("the foreign key's index").isNotNegative();
            assertThat(fkValidate).as("the foreign key is validated after its index is built").isGreaterThan(fkIndex);
        }
    }

    @Test
    void checksOfOperationsThatFollowOthersOnTheirTableRunRightBeforeTheirFirstStep() {
        MigrationPackage pkg = compile(15);
        assertThat(pkg.execution().preChecks()).extracting(c -> c.description())
                .as("the backfill is the first operation on users; the check is the first on orders")
                .anyMatch(d -> d.startsWith("No existing row of orders violates CHECK (total >= 0)"))
                .noneMatch(d -> d.startsWith("No row of users has full_name NULL"));
        assertThat(pkg.execution().checksBeforeSteps())
                .anyMatch(b -> b.stepId().equals("2.users.not_null_full_name.add_check")
                        && b.check().description().startsWith("No row of users has full_name NULL"))
                .anyMatch(b -> b.stepId().startsWith("5.orders.") && b.check().description().startsWith("No row of orders references a missing users row"))
                .noneMatch(b -> b.stepId().startsWith("3.users."));
        assertThat(pkg.toMarkdown()).contains("### Right before a step", "Before `2.users.not_null_full_name.add_check`");
    }

    @Test
    void locksAndRoundTripOnOldestAndNewest() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            PackageChecks.locksAndRoundTrip(server, fill(600), compile(server.major()));
        }
    }

    @Test
    void onTheServerTheColumnIsFilledThenConstrainedAndOrdersKeepTheirData() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = compile(server.major());
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                fill(600).apply(c);
                Schema before = introspect(c);
                String orders = checksum(c, "orders", "id", "user_id", "total");
                String emails = checksum(c, "users", "id", "email");
                new io.zerodown.run.StepRunner(c).run(pkg.up().steps());
                assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
                assertThat(queryLong(c, "SELECT count(*) FROM users WHERE full_name = email")).as("the NULL names are filled").isEqualTo(200);
                assertThat(queryLong(c, "SELECT count(*) FROM users WHERE full_name IS NULL")).isZero();
                assertThat(checksum(c, "orders", "id", "user_id", "total")).isEqualTo(orders);
                assertThat(checksum(c, "users", "id", "email")).isEqualTo(emails);
                new io.zerodown.run.StepRunner(c).run(pkg.down().script().steps());
                assertThat(introspect(c)).isEqualTo(before);
                assertThat(queryLong(c, "SELECT count(*) FROM users WHERE full_name IS NULL")).as("reversible: the NULLs are back").isEqualTo(200);
            }
        }
    }

    @Test
    void psqlRunsTheRenderedScriptsTwice() throws Exception {
        if (!"true".equals(System.getenv("ZERODOWN_REQUIRE_PSQL"))) {
            org.assertj.core.api.Assumptions.assumeThat(PgTestSupport.psqlAvailable()).as("psql is not installed").isTrue();
        }
        MigrationPackage pkg = compile(15);
        try (TestDatabase db = PostgresServers.reference().createDatabase(); Connection c = db.connect()) {
            fill(300).apply(c);
            Schema before = introspect(c);
            PgTestSupport.psql(db, pkg.up().sql());
            assertThat(PgTestSupport.psql(db, pkg.up().sql())).contains("zerodown: up script complete");
            assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            PgTestSupport.psql(db, pkg.down().script().sql());
            PgTestSupport.psql(db, pkg.down().script().sql());
            assertThat(introspect(c)).isEqualTo(before);
        }
    }

    @Test
    void aTableCreatedInThePlanTakesANotNullColumnWithoutDefault() throws Exception {
        MigrationPlan plan = Migration.on("audit").createTable().column("id", "bigint").primaryKey("id")
                .addColumn("actor", "text").notNull()
                .plan();
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = ConstraintCases.compile(plan, DDL, server.major(), DowntimeTolerance.none(), 1_000, "users");
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                fill(10).apply(c);
                Schema before = introspect(c);
                new io.zerodown.run.StepRunner(c).run(pkg.up().steps());
                assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
                assertThat(introspect(c).table(io.zerodown.model.TableName.of("audit")).orElseThrow()
                        .column(io.zerodown.model.ColumnName.of("actor")).orElseThrow().nullable()).isFalse();
                new io.zerodown.run.StepRunner(c).run(pkg.down().script().steps());
                assertThat(introspect(c)).isEqualTo(before);
            }
        }
    }

    @Test
    void operationsShareTheMaintenanceWindow() {
        // Each CHECK alone fits the window as a direct, scanning ADD CONSTRAINT; the two together do not,
        // so the second gets the online NOT VALID + VALIDATE sequence.
        MigrationPlan one = Migration.on("orders").addCheck("total >= 0").named("orders_total_check").plan();
        Duration alone = blockingFor(ConstraintCases.compile(one, DDL, 15, DowntimeTolerance.maintenanceWindow(Duration.ofHours(10)),
                2_000_000_000L, "users", "orders"));
        assertThat(alone).as("the direct check blocks for a while on 2 billion rows").isGreaterThan(Duration.ofMinutes(1));
        Duration window = alone.plus(alone.dividedBy(2));
        MigrationPlan two = Migration.on("orders").addCheck("total >= 0").named("orders_total_check")
                .addCheck("total < 1000000000").named("orders_total_max").plan();
        MigrationPackage pkg = ConstraintCases.compile(two, DDL, 15, DowntimeTolerance.maintenanceWindow(window), 2_000_000_000L,
                "users", "orders");
        assertThat(pkg.up().steps()).extracting(Step::id).contains("1.orders.check_orders_total_check.add", "2.orders.check_orders_total_max.add",
                "2.orders.check_orders_total_max.validate");
        assertThat(pkg.up().steps()).extracting(Step::id).doesNotContain("1.orders.check_orders_total_check.validate");
        assertThat(blockingFor(pkg)).as("together they fit the window").isLessThanOrEqualTo(window);
        assertThat(pkg.strategy().reasons()).anyMatch(r -> r.contains("left of the") && r.contains("maintenance window (earlier operations of this plan"));
    }

    /** The examples module's OrdersRelease plan, run on the oldest and newest servers. */
    @Test
    void theOrdersReleaseExampleRunsOnTheServers() throws Exception {
        String ddl = """
                CREATE TABLE orders (id SERIAL PRIMARY KEY, customer_email VARCHAR(255) NOT NULL, status TEXT, placed_at TIMESTAMPTZ DEFAULT now());
                CREATE TABLE order_items (id BIGSERIAL PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders (id), sku TEXT NOT NULL,
                                          quantity INTEGER NOT NULL);
                """;
        MigrationPlan plan = Migration.on("orders")
                .changeType("id", "bigint").batched(70)
                .backfill("status").with("coalesce(status, 'placed')").batched(70)
                .setNotNull("status")
                .createIndex("customer_email").named("orders_customer_email_idx")
                .on("order_items")
                .addColumn("created_at", "timestamptz").defaultValue("clock_timestamp()").batched(70)
                .addCheck("quantity > 0").named("order_items_quantity_positive")
                .plan();
        PackageChecks.Setup setup = c -> execute(c, ddl,
                "INSERT INTO orders (customer_email, status) SELECT 'c' || g || '@example.com', CASE WHEN g % 4 = 0 THEN NULL ELSE 'paid' END "
                        + "FROM generate_series(1, 300) g",
                "INSERT INTO order_items (order_id, sku, quantity) SELECT 1 + g % 300, 'sku' || g, 1 + g % 5 FROM generate_series(1, 500) g");
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = ConstraintCases.compile(plan, ddl, server.major(), DowntimeTolerance.none(), 2_000_000, "orders", "order_items");
            PackageChecks.locksAndRoundTrip(server, setup, pkg);
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                setup.apply(c);
                String items = checksum(c, "order_items", "id", "order_id", "sku", "quantity");
                new io.zerodown.run.StepRunner(c).run(pkg.up().steps());
                assertThat(ReferenceCaseOnServerTest.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
                assertThat(PgTestSupport.queryString(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                        + "WHERE attrelid = 'orders'::regclass AND attname = 'id'")).isEqualTo("bigint");
                assertThat(queryLong(c, "SELECT count(*) FROM orders WHERE status = 'placed'")).isEqualTo(75);
                assertThat(queryLong(c, "SELECT count(*) FROM order_items WHERE created_at IS NULL")).isZero();
                assertThat(checksum(c, "order_items", "id", "order_id", "sku", "quantity")).isEqualTo(items);
            }
        }
    }

    private static Duration blockingFor(MigrationPackage pkg) {
        return pkg.up().steps().stream().flatMap(s -> s.locks().stream()).filter(io.zerodown.plan.LockClaim::blocksForLong)
                .map(c -> ((io.zerodown.plan.LockDuration.ProportionalToRows) c.duration()).estimate()).reduce(Duration.ZERO, Duration::plus);
    }

    private static int indexOf(List<Step> steps, java.util.function.Predicate<Step> p) {
        for (int i = 0; i < steps.size(); i++) {
            if (p.test(steps.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(List<Step> steps, java.util.function.Predicate<Step> p) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (p.test(steps.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
