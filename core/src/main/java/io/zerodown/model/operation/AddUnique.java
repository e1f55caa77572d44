package io.zerodown.model.operation;

import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Adds a UNIQUE constraint, through a unique index built without blocking writes where the dialect can.
 * Rows with a NULL in any of the columns never collide with each other (SQL's NULLS DISTINCT).
 */
public record AddUnique(TableName table, Optional<ConstraintName> name, List<ColumnName> columns) implements Operation {

    public AddUnique {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
    }

    /** The name given, or PostgreSQL's convention. */
    public ConstraintName resolvedName() {
        return name.orElseGet(() -> ConstraintName.of(table.value() + "_" + String.join("_", columns.stream().map(ColumnName::value).toList()) + "_key"));
    }

    public Constraint.Unique constraint() {
        return new Constraint.Unique(resolvedName(), columns);
    }

    @Override
    public String describe() {
        return "add " + "unique constraint" + " " + resolvedName() + " on " + table;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        name.flatMap(n -> Names.badName("constraint", n.value())).ifPresent(problems::add);
        if (columns.isEmpty()) {
            problems.add("a unique constraint needs at least one column");
        }
        columns.stream().filter(c -> columns.indexOf(c) != columns.lastIndexOf(c)).distinct()
                .forEach(c -> problems.add("column \"" + c + "\" is listed twice in the unique constraint"));
        Names.table(schema, table, problems).ifPresent(t -> {
            Names.requireColumns(t, columns, problems);
            if (t.constraint(resolvedName()).isPresent()) {
                problems.add("a constraint named \"" + resolvedName() + "\" already exists on \"" + table + "\"");
            }
            schema.index(io.zerodown.model.IndexName.of(resolvedName().value())).ifPresent(i -> problems.add("an index named \""
                    + i.name() + "\" already exists on \"" + i.table() + "\"; the unique constraint's index takes the constraint's name: "
                    + "choose another with named(…)"));
        });
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        Table t = schema.requireTable(table);
        List<Constraint> constraints = new ArrayList<>(t.constraints());
        constraints.add(constraint());
        return schema.withTable(t.withConstraints(constraints));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitAddUnique(this);
    }
}
