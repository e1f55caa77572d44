package io.zerodown.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerodown.model.ColumnName;
import io.zerodown.model.FunctionName;
import io.zerodown.model.SqlType;
import io.zerodown.model.TableName;
import io.zerodown.model.TriggerName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import io.zerodown.model.schema.Trigger;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaChangeTest {

    private static final TableName USERS = TableName.of("users");
    private static final Schema SCHEMA = Schema.of(Table.of(USERS, List.of(Column.of("id", SqlType.of("bigint")))));

    @Test
    void addingThenDroppingRestoresTheSchema() {
        List<SchemaChange> up = List.of(
                new SchemaChange.AddColumn(USERS, Column.of("a", SqlType.of("text"))),
                new SchemaChange.AddFunction(FunctionName.of("f")),
                new SchemaChange.AddTrigger(USERS, new Trigger(TriggerName.of("t"), FunctionName.of("f"))));
        List<SchemaChange> down = List.of(
                new SchemaChange.DropTrigger(USERS, TriggerName.of("t")),
                new SchemaChange.DropFunction(FunctionName.of("f")),
                new SchemaChange.DropColumn(USERS, ColumnName.of("a")));
        Schema after = SchemaChange.applyAll(SCHEMA, up);
        assertThat(after).isNotEqualTo(SCHEMA);
        assertThat(SchemaChange.applyAll(after, down)).isEqualTo(SCHEMA);
    }

    @Test
    void refusesChangesThatDoNotFit() {
        assertThatThrownBy(() -> new SchemaChange.AddColumn(USERS, Column.of("id", SqlType.of("int"))).apply(SCHEMA))
                .hasMessageContaining("column \"id\" already exists");
        assertThatThrownBy(() -> new SchemaChange.DropColumn(USERS, ColumnName.of("nope")).apply(SCHEMA))
                .hasMessageContaining("no column \"nope\"");
        assertThatThrownBy(() -> new SchemaChange.AddTrigger(USERS, new Trigger(TriggerName.of("t"), FunctionName.of("missing"))).apply(SCHEMA))
                .hasMessageContaining("trigger function \"missing\" does not exist");
        Schema withTrigger = SchemaChange.applyAll(SCHEMA, List.of(new SchemaChange.AddFunction(FunctionName.of("f")),
                new SchemaChange.AddTrigger(USERS, new Trigger(TriggerName.of("t"), FunctionName.of("f")))));
        assertThatThrownBy(() -> new SchemaChange.DropFunction(FunctionName.of("f")).apply(withTrigger))
                .hasMessageContaining("still used by a trigger");
    }
}
