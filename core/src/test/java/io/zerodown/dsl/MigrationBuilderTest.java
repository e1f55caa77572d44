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
    void anOptionOfTheWrongOperationSaysWhichOperationItMeant() {
        CreateIndexOptions index = Migration.on("users").createIndex("a");
        assertThatThrownBy(() -> ((SplitColumnOptions) index).batched(5))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("batched(…) refines the SplitColumn")
                .hasMessageContaining("create index users_a_idx on users");
    }

    @Test
    void aMalformedTypeIsRefusedWhereItIsWritten() {
        SplitColumnOptions split = Migration.on("users").splitColumn("n").atLast(",").into("a", "b");
        assertThatThrownBy(() -> split.types("varchar(10); DROP TABLE x", "text"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a type");
    }
}
