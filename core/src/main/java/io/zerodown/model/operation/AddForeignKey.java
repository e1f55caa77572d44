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
 * Adds a foreign key from {@code columns} of {@code table} to {@code referencedColumns} of
 * {@code referencedTable}, validated without blocking writes where the dialect can, and (unless
 * turned off) with an index on the referencing columns.
 */
public record AddForeignKey(TableName table, Optional<ConstraintName> name, List<ColumnName> columns, TableName referencedTable,
                            List<ColumnName> referencedColumns, Constraint.ReferentialAction onDelete,
                            Constraint.ReferentialAction onUpdate, boolean indexColumns) implements Operation {

    public AddForeignKey {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
        Objects.requireNonNull(referencedTable, "referencedTable");
        referencedColumns = List.copyOf(referencedColumns);
        Objects.requireNonNull(onDelete, "onDelete");
        Objects.requireNonNull(onUpdate, "onUpdate");
    }

    /** The name given, or {@code <table>_<columns>_fkey}. */
    public ConstraintName resolvedName() {
        return name.orElseGet(() -> ConstraintName.of(table.value() + "_" + String.join("_", columns.stream().map(ColumnName::value).toList()) + "_fkey"));
    }

    public Constraint.ForeignKey constraint() {
        return new Constraint.ForeignKey(resolvedName(), columns, referencedTable, referencedColumns, onDelete, onUpdate, true);
    }

    @Override
    public String describe() {
        return "add foreign key " + resolvedName() + " on " + table + " referencing " + referencedTable;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        if (columns.isEmpty()) {
            problems.add("a foreign key needs at least one column");
        }
        if (columns.size() != referencedColumns.size()) {
            problems.add("a foreign key needs as many referenced columns as columns: " + columns.size() + " and " + referencedColumns.size());
        }
        Names.table(schema, table, problems).ifPresent(t -> {
            Names.requireColumns(t, columns, problems);
            if (t.constraint(resolvedName()).isPresent()) {
                problems.add("a constraint named \"" + resolvedName() + "\" already exists on \"" + table + "\"");
            }
        });
        Names.table(schema, referencedTable, problems).ifPresent(t -> Names.requireColumns(t, referencedColumns, problems));
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
        return visitor.visitAddForeignKey(this);
    }
}
