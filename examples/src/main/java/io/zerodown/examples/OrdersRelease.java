package io.zerodown.examples;

import io.zerodown.Migration;
import io.zerodown.Zerodown;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.ReadPattern;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.context.Target;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.MigrationPackage;
import java.time.Duration;
import java.time.LocalDate;

/**
 * An everyday release touching two busy tables on PostgreSQL 16, with no downtime and a week to
 * roll back:
 * <ul>
 *   <li>{@code orders.id} is an {@code integer} close to its limit: it becomes {@code bigint} (a new
 *       column kept in sync, filled in batches, swapped in one short transaction, with its sequence
 *       and the foreign key of {@code order_items} moved along);</li>
 *   <li>{@code orders.status} gets a NOT NULL constraint once the old rows are filled;</li>
 *   <li>{@code order_items} gets a {@code created_at} column whose default is computed per row;</li>
 *   <li>a search index and a CHECK on the quantity.</li>
 * </ul>
 * The operations are written in the order a developer thinks of them; the package runs them phase
 * by phase (the backfill before the constraint that needs it, the index builds after the data).
 *
 * <p>Run it with {@code mvn -q -pl examples -am package -DskipTests exec:java -Dexample=OrdersRelease}.
 */
public final class OrdersRelease {

    private OrdersRelease() {
    }

    public static void main(String[] args) {
        Schema schema = Zerodown.parseSchema(Target.postgres(16), """
                CREATE TABLE orders (
                    id SERIAL PRIMARY KEY,
                    customer_email VARCHAR(255) NOT NULL,
                    status TEXT,
                    placed_at TIMESTAMPTZ DEFAULT now()
                );
                CREATE TABLE order_items (
                    id BIGSERIAL PRIMARY KEY,
                    order_id INTEGER NOT NULL REFERENCES orders (id),
                    sku TEXT NOT NULL,
                    quantity INTEGER NOT NULL
                );
                """);

        MigrationPlan plan = Migration.on("orders")
                .changeType("id", "bigint").batched(20_000)
                .backfill("status").with("coalesce(status, 'placed')").batched(20_000)
                .setNotNull("status")
                .createIndex("customer_email").named("orders_customer_email_idx")
                .on("order_items")
                .addColumn("created_at", "timestamptz").defaultValue("clock_timestamp()").batched(20_000)
                .addCheck("quantity > 0").named("order_items_quantity_positive")
                .plan();

        MigrationContext context = MigrationContext.builder()
                .name("orders_release")
                .author("sam@example.com")
                .reason("orders.id runs out of integers in about three months; status must always be set")
                .date(LocalDate.of(2026, 12, 7))
                .target(Target.postgres(16))
                .profile("orders", TableProfile.of(1_900_000_000L, 400, ReadPattern.MIXED))
                .profile("order_items", TableProfile.of(5_000_000_000L, 900, ReadPattern.MIXED))
                .downtime(DowntimeTolerance.none())
                .rollback(RollbackRequirement.reversibleFor(Duration.ofDays(7)))
                .build();

        MigrationPackage pkg = Zerodown.compile(plan, schema, context);
        System.out.println(pkg.toMarkdown());
    }
}
