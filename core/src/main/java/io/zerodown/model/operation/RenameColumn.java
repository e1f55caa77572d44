package io.zerodown.model.operation;

import io.zerodown.model.ColumnName;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Renames a column without breaking running code: the dialect keeps old and new names working side by side until the contract phase. */
public record RenameColumn(TableName table, ColumnName column, ColumnName to) implements Operation {

    public RenameColumn {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(to, "to");
    }

    @Override
    public String describe() {
        return "rename column " + table + "." + column + " to " + to;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Optional<Table> t = Names.table(schema, table, problems);
        t.ifPresent(found -> Names.requireColumns(found, List.of(column), problems));
        Names.badName("new column", to.value()).ifPresent(problems::add);
        t.filter(found -> found.hasColumn(to)).ifPresent(found -> problems.add("column \"" + to + "\" already exists in table \"" + table + "\""));
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        Table t = schema.requireTable(table);
        return schema.withTable(t.withColumn(column, c -> c.withName(to)));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitRenameColumn(this);
    }
}
