package io.zerodown.model.operation;

import io.zerodown.model.IndexName;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Drops an index without blocking reads or writes where the dialect can. */
public record DropIndex(TableName table, IndexName index) implements Operation {

    public DropIndex {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(index, "index");
    }

    @Override
    public String describe() {
        return "drop index " + index + " on " + table;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Names.table(schema, table, problems).ifPresent(t -> {
            if (t.index(index).isEmpty()) {
                problems.add("no index \"" + index + "\" on table \"" + table + "\"" + (schema.index(index).isPresent()
                        ? " (it is on table \"" + schema.index(index).get().table() + "\")" : ""));
            }
        });
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        Table t = schema.requireTable(table);
        return schema.withTable(t.withIndexes(t.indexes().stream().filter(i -> !i.name().equals(index)).toList()));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitDropIndex(this);
    }
}
