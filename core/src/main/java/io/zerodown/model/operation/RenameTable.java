package io.zerodown.model.operation;

import io.zerodown.model.TableName;
import io.zerodown.model.schema.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Renames a table without breaking running code: the old name keeps working until the contract phase. */
public record RenameTable(TableName table, TableName to) implements Operation {

    public RenameTable {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(to, "to");
    }

    @Override
    public String describe() {
        return "rename table " + table + " to " + to;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Names.badName("table", to.value()).ifPresent(problems::add);
        Names.table(schema, table, problems);
        if (schema.table(to).isPresent()) {
            problems.add("a table named \"" + to + "\" already exists");
        }
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        return schema.withoutTable(table).withTable(schema.requireTable(table).withName(to));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitRenameTable(this);
    }
}
