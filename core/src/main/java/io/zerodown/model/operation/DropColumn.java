package io.zerodown.model.operation;

import io.zerodown.model.ColumnName;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Drops a column: a contract-phase step, once no deployed code reads or writes it. */
public record DropColumn(TableName table, ColumnName column) implements Operation {

    public DropColumn {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
    }

    @Override
    public String describe() {
        return "drop column " + table + "." + column;
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
        return schema.withTable(t.withColumns(t.columns().stream().filter(c -> !c.name().equals(column)).toList()));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitDropColumn(this);
    }
}
