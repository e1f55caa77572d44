package io.zerodown.model.operation;

import io.zerodown.model.ConstraintName;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Drops a constraint (foreign key, check, unique or primary key) by name. */
public record DropConstraint(TableName table, ConstraintName constraint) implements Operation {

    public DropConstraint {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(constraint, "constraint");
    }

    @Override
    public String describe() {
        return "drop constraint " + constraint + " on " + table;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Names.table(schema, table, problems).ifPresent(t -> {
            if (t.constraint(constraint).isEmpty()) {
                problems.add("no constraint \"" + constraint + "\" on table \"" + table + "\"");
            }
        });
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        Table t = schema.requireTable(table);
        return schema.withTable(t.withConstraints(t.constraints().stream().filter(c -> !c.name().equals(constraint)).toList()));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitDropConstraint(this);
    }
}
