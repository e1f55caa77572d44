package io.zerodown.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.IndexName;
import io.zerodown.model.SqlType;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchemaChangeRenameColumnTest {

    private static final TableName T = TableName.of("t");
    private static final TableName C = TableName.of("c");
    private static final ColumnName ID = ColumnName.of("id");
    private static final ColumnName K = ColumnName.of("k");

    private static final Schema SCHEMA = new Schema(List.of(
            new Table(T, List.of(Column.of("id", SqlType.of("bigint")), Column.of("k", SqlType.of("int")), Column.of("z", SqlType.of("text"))),
                    List.of(new Constraint.PrimaryKey(ConstraintName.of("t_pkey"), List.of(ID)),
                            new Constraint.Unique(ConstraintName.of("t_k_key"), List.of(K)),
                            new Constraint.ForeignKey(ConstraintName.of("t_k_fkey"), List.of(K), T, List.of(ID),
                                    Constraint.ReferentialAction.NO_ACTION, Constraint.ReferentialAction.NO_ACTION, true)),
                    List.of(new Index(IndexName.of("t_k"), T, List.of(new Index.Element.OfColumn(K, true)), false, Optional.empty(),
                            "btree", true)),
                    List.of()),
            new Table(C, List.of(Column.of("ref", SqlType.of("int"))),
                    List.of(new Constraint.ForeignKey(ConstraintName.of("c_ref_fkey"), List.of(ColumnName.of("ref")), T, List.of(K),
                            Constraint.ReferentialAction.CASCADE, Constraint.ReferentialAction.NO_ACTION, true)),
                    List.of(), List.of())), List.of());

    @Test
    void theColumnKeepsItsPlaceAndWhatNamesItFollows() {
        Schema renamed = new SchemaChange.RenameColumn(T, K, ColumnName.of("k2")).apply(SCHEMA);
        Table t = renamed.requireTable(T);
        assertThat(t.columns()).extracting(c -> c.name().value()).containsExactly("id", "k2", "z");
        assertThat(t.constraint(ConstraintName.of("t_k_key")).orElseThrow().columns()).containsExactly(ColumnName.of("k2"));
        assertThat(t.constraint(ConstraintName.of("t_k_fkey")).orElseThrow().columns()).containsExactly(ColumnName.of("k2"));
        assertThat(t.index(IndexName.of("t_k")).orElseThrow().columns()).containsExactly(ColumnName.of("k2"));
        assertThat(((Constraint.ForeignKey) renamed.requireTable(C).constraint(ConstraintName.of("c_ref_fkey")).orElseThrow())
                .referencedColumns()).containsExactly(ColumnName.of("k2"));
        assertThat(new SchemaChange.RenameColumn(T, ColumnName.of("k2"), K).apply(renamed)).isEqualTo(SCHEMA);

        Schema id = new SchemaChange.RenameColumn(T, ID, ColumnName.of("key")).apply(SCHEMA);
        assertThat(((Constraint.ForeignKey) id.requireTable(T).constraint(ConstraintName.of("t_k_fkey")).orElseThrow())
                .referencedColumns()).as("a foreign key to its own table").containsExactly(ColumnName.of("key"));
        assertThat(id.requireTable(T).primaryKey().orElseThrow().columns()).containsExactly(ColumnName.of("key"));
    }

    @Test
    void refusesAMissingColumnOrATakenName() {
        assertThatThrownBy(() -> new SchemaChange.RenameColumn(T, ColumnName.of("nope"), ColumnName.of("x")).apply(SCHEMA))
                .hasMessageContaining("no column \"nope\"");
        assertThatThrownBy(() -> new SchemaChange.RenameColumn(T, K, ColumnName.of("z")).apply(SCHEMA))
                .hasMessageContaining("column \"z\" already exists");
    }
}
