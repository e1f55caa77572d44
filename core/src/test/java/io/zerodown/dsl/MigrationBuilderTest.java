package io.zerodown.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerodown.Migration;
import io.zerodown.model.operation.CreateIndex;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.operation.SplitColumn;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MigrationBuilderTest {

    @Test
    void buildsTheReferencePlanInOrder() {
        MigrationPlan plan = Migration.on("users")
                .splitColumn("full_name").atFirst(" ").into("first_name", "last_name").batched(10_000).pausing(Duration.ofMillis(20))
                .createIndex("last_name").where("last_name IS NOT NULL")
                .plan();
        assertThat(plan.operations()).hasSize(2);
        SplitColumn split = (SplitColumn) plan.operations().get(0);
        assertThat(split.batching().size()).isEqualTo(10_000);
        assertThat(split.batching().pause()).isEqualTo(Duration.ofMillis(20));
        assertThat(split.at()).isEqualTo(SplitColumn.SplitAt.FIRST);
        assertThat(split.dropSource()).isTrue();
        CreateIndex index = (CreateIndex) plan.operations().get(1);
        assertThat(index.where()).hasValueSatisfying(w -> assertThat(w.source()).isEqualTo("last_name IS NOT NULL"));
    }

    @Test
    void aPlanIsASnapshotTheBuilderDoesNotChangeAfterwards() {
        TableChanges changes = Migration.on("users").createIndex("a");
        MigrationPlan before = changes.plan();
        changes.on("orders").createIndex("b");
        assertThat(before.operations()).hasSize(1);
        assertThat(changes.plan().operations()).hasSize(2);
        assertThat(changes.plan().operations().get(1).table().value()).isEqualTo("orders");
    }

    @Test
    void aColumnOptionNeedsAColumn() {
        assertThatThrownBy(() -> Migration.on("orders").createTable().notNull())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("notNull(…) refines the last column, but no column was given yet");
    }

    @Test
    void describesEveryKindOfChange() {
        MigrationPlan plan = Migration.on("orders").createTable().column("id", "bigint").primaryKey("id").column("total", "numeric(10,2)").notNull()
                .addColumn("status", "text").notNull().defaultValue("'new'")
                .addForeignKey("user_id").references("users", "id").onDelete(io.zerodown.model.schema.Constraint.ReferentialAction.CASCADE)
                .addCheck("total >= 0").named("total_positive")
                .renameColumn("status").to("state")
                .renameTo("purchases")
                .dropIndex("old_idx")
                .on("users").dropTable().renameFirst()
                .plan();
        assertThat(plan.operations()).extracting(o -> o.describe()).containsExactly(
                "create table orders", "add column orders.status text", "add foreign key orders_user_id_fkey on orders referencing users",
                "add check total_positive on orders", "rename column orders.status to state", "rename table orders to purchases",
                "drop index old_idx on purchases", "drop table users");
        assertThat(((io.zerodown.model.operation.CreateTable) plan.operations().get(0)).definition().columns())
                .extracting(c -> c.name().value() + (c.nullable() ? "" : " not null")).containsExactly("id not null", "total not null");
        assertThat(((io.zerodown.model.operation.DropTable) plan.operations().get(7)).renameFirst()).isTrue();
    }

    @Test
    void aMalformedTypeIsRefusedWhereItIsWritten() {
        SplitColumnOptions split = Migration.on("users").splitColumn("n").atLast(",").into("a", "b");
        assertThatThrownBy(() -> split.types("varchar(10); DROP TABLE x", "text"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a type");
    }
}
