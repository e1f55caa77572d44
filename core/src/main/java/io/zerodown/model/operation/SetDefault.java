package io.zerodown.model.operation;

import io.zerodown.model.ColumnName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Sets a column default; existing rows keep their values. */
public record SetDefault(TableName table, ColumnName column, SqlExpression value) implements Operation {

    public SetDefault {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String describe() {
        return "set default on " + table + "." + column;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Optional<Table> t = Names.table(schema, table, problems);
        t.ifPresent(found -> Names.requireColumns(found, List.of(column), problems));
        value.problem().ifPresent(p -> problems.add("default: " + p));
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        Table t = schema.requireTable(table);
        return schema.withTable(t.withColumn(column, c -> c.withDefault(Optional.of(value))));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitSetDefault(this);
    }
}
