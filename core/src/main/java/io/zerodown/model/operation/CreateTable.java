package io.zerodown.model.operation;

import io.zerodown.model.ColumnName;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Creates a table: its columns (type, NOT NULL, default) and its PRIMARY KEY and UNIQUE
 * constraints. Foreign keys are not part of it: add them afterwards with {@code addForeignKey},
 * which validates them without blocking writes.
 */
public record CreateTable(Table definition) implements Operation {

    public CreateTable {
        Objects.requireNonNull(definition, "definition");
    }

    @Override
    public TableName table() {
        return definition.name();
    }

    @Override
    public String describe() {
        return "create table " + definition.name();
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Names.badName("table", definition.name().value()).ifPresent(problems::add);
        if (schema.table(definition.name()).isPresent()) {
            problems.add("a table named \"" + definition.name() + "\" already exists");
        }
        if (definition.columns().isEmpty()) {
            problems.add("a table needs at least one column: add them with column(name, type)");
        }
        Set<ColumnName> seen = new HashSet<>();
        for (Column column : definition.columns()) {
            Names.badName("column", column.name().value()).ifPresent(problems::add);
            if (!seen.add(column.name())) {
                problems.add("column \"" + column.name() + "\" is defined twice");
            }
            column.defaultValue().flatMap(d -> d.problem()).ifPresent(p -> problems.add("default of column \"" + column.name() + "\": " + p));
        }
        long primaryKeys = definition.constraints().stream().filter(Constraint.PrimaryKey.class::isInstance).count();
        if (primaryKeys > 1) {
            problems.add("a table has at most one primary key; primaryKey(…) was given " + primaryKeys + " times");
        }
        for (Constraint constraint : definition.constraints()) {
            String kind = constraint instanceof Constraint.PrimaryKey ? "primary key" : constraint instanceof Constraint.Unique ? "unique constraint"
                    : "constraint";
            if (constraint.columns().isEmpty() && !(constraint instanceof Constraint.Check)) {
                problems.add("the " + kind + " \"" + constraint.name() + "\" has no columns");
            }
            Set<ColumnName> inConstraint = new HashSet<>();
            for (ColumnName column : constraint.columns()) {
                if (!definition.hasColumn(column)) {
                    problems.add("the " + kind + " \"" + constraint.name() + "\" names column \"" + column
                            + "\", which the table does not define");
                }
                if (!inConstraint.add(column)) {
                    problems.add("the " + kind + " \"" + constraint.name() + "\" names column \"" + column + "\" twice");
                }
            }
        }
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        return schema.withTable(definition);
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitCreateTable(this);
    }
}
