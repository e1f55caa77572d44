package io.zerodown.model.operation;

import io.zerodown.model.IndexName;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Rebuilds an index (bloated or corrupt) without blocking writes where the dialect can. The index
 * may be a plain index or the one behind a PRIMARY KEY or UNIQUE constraint (named after it).
 */
public record Reindex(TableName table, IndexName index) implements Operation {

    public Reindex {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(index, "index");
    }

    @Override
    public String describe() {
        return "rebuild index " + index + " on " + table;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Names.table(schema, table, problems).ifPresent(t -> {
            if (t.index(index).isEmpty() && DropIndex.backedConstraint(t, index).isEmpty()) {
                problems.add("no index \"" + index + "\" on table \"" + table + "\"" + (schema.index(index).isPresent()
                        ? " (it is on table \"" + schema.index(index).get().table() + "\")" : ""));
            }
        });
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        return schema;
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitReindex(this);
    }
}
