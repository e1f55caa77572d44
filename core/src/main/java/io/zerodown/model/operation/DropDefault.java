package io.zerodown.model.operation;

import io.zerodown.model.ColumnName;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Removes a column default. */
public record DropDefault(TableName table, ColumnName column) implements Operation {

    public DropDefault {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
    }

    @Override
    public String describe() {
        return "drop default on " + table + "." + column;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Optional<Table> t = Names.table(schema, table, problems);
        t.ifPresent(found -> Names.requireColumns(found, List.of(column), problems));

        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        Table t = schema.requireTable(table);
        return schema.withTable(t.withColumn(column, c -> c.withDefault(Optional.empty())));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitDropDefault(this);
    }
}
