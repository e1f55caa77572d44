package io.zerodown.model.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerodown.Migration;
import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.IndexName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.SqlType;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import io.zerodown.plan.SchemaChange;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The dialect-free side of the table operations, merge and backfill: validation and the schema they leave. */
class TableOperationsTest {

    private static final TableName USERS = TableName.of("users");
    private static final TableName ORDERS = TableName.of("orders");

    private static Constraint.ForeignKey fk(String name, String column, TableName to) {
        return new Constraint.ForeignKey(ConstraintName.of(name), List.of(ColumnName.of(column)), to, List.of(ColumnName.of("id")),
                Constraint.ReferentialAction.NO_ACTION, Constraint.ReferentialAction.NO_ACTION, true);
    }

    /** users (with a self-reference and an index), orders referencing users. */
    static final Schema SCHEMA = new Schema(List.of(
            new Table(USERS, List.of(Column.of("id", SqlType.of("bigint")).withNullable(false), Column.of("name", SqlType.of("text")),
                    Column.of("slug", SqlType.of("text")), Column.of("boss_id", SqlType.of("bigint")),
                    Column.of("total", SqlType.of("integer")).withGeneration(Optional.of(new Generation.Stored(SqlExpression.of("1"))))),
                    List.of(new Constraint.PrimaryKey(ConstraintName.of("users_pkey"), List.of(ColumnName.of("id"))),
                            fk("users_boss_id_fkey", "boss_id", USERS)),
                    List.of(new Index(IndexName.of("users_name_idx"), USERS, List.of(new Index.Element.OfColumn(ColumnName.of("name"), false)),
                            false, Optional.empty(), "btree", true)),
                    List.of()),
            new Table(ORDERS, List.of(Column.of("id", SqlType.of("bigint")), Column.of("user_id", SqlType.of("bigint"))),
                    List.of(fk("orders_user_id_fkey", "user_id", USERS)), List.of(), List.of())), List.of());

    @Test
    void aRenamedTableTakesItsIndexesAlongAndForeignKeysFollowIt() {
        RenameTable op = (RenameTable) Migration.on("users").renameTo("accounts").plan().operations().get(0);
        assertThat(op.problems(SCHEMA)).isEmpty();
        Schema after = op.applyTo(SCHEMA);
        Table accounts = after.requireTable(TableName.of("accounts"));
        assertThat(after.table(USERS)).isEmpty();
        assertThat(accounts.indexes()).extracting(Index::table).containsExactly(TableName.of("accounts"));
        assertThat(accounts.constraint(ConstraintName.of("users_boss_id_fkey"))).get()
                .extracting(c -> ((Constraint.ForeignKey) c).referencedTable()).isEqualTo(TableName.of("accounts"));
        assertThat(after.requireTable(ORDERS).constraints()).extracting(c -> ((Constraint.ForeignKey) c).referencedTable())
                .containsExactly(TableName.of("accounts"));
        assertThat(new SchemaChange.RenameTable(USERS, TableName.of("accounts")).apply(SCHEMA)).isEqualTo(after);
        assertThat(new SchemaChange.RenameTable(TableName.of("accounts"), USERS).apply(after)).isEqualTo(SCHEMA);
        assertThatThrownBy(() -> new SchemaChange.RenameTable(USERS, ORDERS).apply(SCHEMA)).hasMessageContaining("already exists");
        assertThat(((RenameTable) Migration.on("users").renameTo("orders").plan().operations().get(0)).problems(SCHEMA))
                .containsExactly("a table named \"orders\" already exists");
    }

    @Test
    void aTableOthersReferenceCannotBeDroppedButItsSelfReferenceIsNoObstacle() {
        assertThat(new DropTable(USERS, false).problems(SCHEMA)).containsExactly("table \"users\" is referenced by the foreign key "
                + "\"orders_user_id_fkey\" on \"orders\"; drop it first (dropConstraint on the referencing table), or keep the table");
        assertThat(new DropTable(ORDERS, true).problems(SCHEMA)).isEmpty();
        Schema withoutOrders = new DropTable(ORDERS, true).applyTo(SCHEMA);
        assertThat(new DropTable(USERS, false).problems(withoutOrders)).as("users references only itself").isEmpty();
    }

    @Test
    void aBackfillReadsOnlyColumnsOfItsRowAndMayReadItself() {
        BackfillColumn slug = new BackfillColumn(USERS, ColumnName.of("slug"), SqlExpression.of("lower(name) || localtimestamp::date"),
                Batching.defaults());
        assertThat(slug.problems(SCHEMA)).as("localtimestamp is SQL's, not a column").isEmpty();
        assertThat(slug.readColumns(SCHEMA.requireTable(USERS))).containsExactly(ColumnName.of("name"));
        assertThat(slug.readsItself(SCHEMA.requireTable(USERS))).isFalse();
        BackfillColumn fill = new BackfillColumn(USERS, ColumnName.of("slug"), SqlExpression.of("coalesce(slug, name)"), Batching.defaults());
        assertThat(fill.readsItself(SCHEMA.requireTable(USERS))).isTrue();
        assertThat(new BackfillColumn(USERS, ColumnName.of("total"), SqlExpression.of("2"), Batching.defaults()).problems(SCHEMA))
                .singleElement().asString().contains("is generated");
        assertThat(new BackfillColumn(USERS, ColumnName.of("slug"), SqlExpression.of("(SELECT 1) + users.id + ?"), Batching.defaults())
                .problems(SCHEMA)).hasSize(3);
    }

    @Test
    void aMergeNeedsDistinctSourcesAndANewColumn() {
        MergeColumns op = (MergeColumns) Migration.on("users").mergeColumns("name", "name").with(" ").into("slug").plan().operations().get(0);
        assertThat(op.problems(SCHEMA)).containsExactly("column \"name\" is listed twice among the columns to merge",
                "column \"slug\" already exists in table \"users\"; choose another name, or drop it first");
        MergeColumns intoSource = (MergeColumns) Migration.on("users").mergeColumns("name", "slug").with(" ").into("slug").plan()
                .operations().get(0);
        assertThat(intoSource.problems(SCHEMA)).containsExactly("\"slug\" is one of the columns being merged; the merged value needs a new column");
        MergeColumns kept = (MergeColumns) Migration.on("users").mergeColumns("name", "slug").with(" ").into("label").keepSources().plan()
                .operations().get(0);
        assertThat(kept.applyTo(SCHEMA).requireTable(USERS).columns()).extracting(c -> c.name().value())
                .containsExactly("id", "name", "slug", "boss_id", "total", "label");
    }
}
