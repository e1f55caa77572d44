package io.zerodown.model.operation;

import io.zerodown.model.TableName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Adds a column: nullable or not, with a constant or computed default, or filled by the database
 * (identity, serial, stored generated).
 *
 * @param table    the table
 * @param column   the new column (name, type, nullability, default, generation)
 * @param batching how a computed default is backfilled into existing rows, where the dialect backfills
 */
public record AddColumn(TableName table, Column column, Batching batching) implements Operation {

    public AddColumn {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(batching, "batching");
    }

    @Override
    public String describe() {
        return "add column " + table + "." + column.name() + " " + column.type().sql();
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Names.badName("column", column.name().value()).ifPresent(problems::add);
        problems.addAll(batching.problems());
        Optional<Table> t = Names.table(schema, table, problems);
        if (t.isPresent() && t.get().hasColumn(column.name())) {
            problems.add("column \"" + column.name() + "\" already exists in table \"" + table + "\"");
        }
        column.defaultValue().flatMap(d -> d.problem()).ifPresent(p -> problems.add("default: " + p));
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        Table t = schema.requireTable(table);
        List<Column> columns = new ArrayList<>(t.columns());
        columns.add(column);
        return schema.withTable(t.withColumns(columns));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitAddColumn(this);
    }

    public AddColumn withColumn(Column newColumn) {
        return new AddColumn(table, newColumn, batching);
    }

    public AddColumn withBatching(Batching newBatching) {
        return new AddColumn(table, column, newBatching);
    }
}
