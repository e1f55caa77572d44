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
 * Adds a PRIMARY KEY, through a unique index built without blocking writes where the dialect can.
 * The key's columns become NOT NULL.
 */
public record AddPrimaryKey(TableName table, Optional<ConstraintName> name, List<ColumnName> columns) implements Operation {

    public AddPrimaryKey {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
    }

    /** The name given, or PostgreSQL's convention. */
    public ConstraintName resolvedName() {
        return name.orElseGet(() -> ConstraintName.of(table.value() + "_pkey"));
    }

    public Constraint.PrimaryKey constraint() {
        return new Constraint.PrimaryKey(resolvedName(), columns);
    }

    @Override
    public String describe() {
        return "add " + "primary key" + " " + resolvedName() + " on " + table;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        name.flatMap(n -> Names.badName("constraint", n.value())).ifPresent(problems::add);
        if (columns.isEmpty()) {
            problems.add("a primary key needs at least one column");
        }
        columns.stream().filter(c -> columns.indexOf(c) != columns.lastIndexOf(c)).distinct()
                .forEach(c -> problems.add("column \"" + c + "\" is listed twice in the primary key"));
        Names.table(schema, table, problems).ifPresent(t -> {
            if (t.primaryKey().isPresent()) {
                problems.add("table \"" + table + "\" already has a primary key (" + t.primaryKey().get().name() + ")");
            }
            Names.requireColumns(t, columns, problems);
            if (t.constraint(resolvedName()).isPresent()) {
                problems.add("a constraint named \"" + resolvedName() + "\" already exists on \"" + table + "\"");
            }
            schema.index(io.zerodown.model.IndexName.of(resolvedName().value())).ifPresent(i -> problems.add("an index named \""
                    + i.name() + "\" already exists on \"" + i.table() + "\"; the primary key's index takes the constraint's name: "
                    + "choose another with named(…)"));
        });
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        Table t = schema.requireTable(table);
        List<Constraint> constraints = new ArrayList<>(t.constraints());
        constraints.add(constraint());
        Table keyed = t.withConstraints(constraints);
        for (ColumnName column : columns) {
            keyed = keyed.withColumn(column, c -> c.withNullable(false));
        }
        return schema.withTable(keyed);
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitAddPrimaryKey(this);
    }
}
