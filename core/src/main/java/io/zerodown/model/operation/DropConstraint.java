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
import java.util.Set;

/**
 * Drops a constraint (foreign key, check, unique or primary key) by name. A primary key or
 * unique constraint that a foreign key references cannot be dropped: drop the foreign key first.
 */
public record DropConstraint(TableName table, ConstraintName constraint) implements Operation {

    public DropConstraint {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(constraint, "constraint");
    }

    @Override
    public String describe() {
        return "drop constraint " + constraint + " on " + table;
    }

    /** The constraint dropped, as the schema before the operation has it. */
    public Constraint dropped(Schema schema) {
        return schema.requireTable(table).constraint(constraint)
                .orElseThrow(() -> new IllegalStateException("no constraint \"" + constraint + "\" on \"" + table + "\""));
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Names.table(schema, table, problems).ifPresent(t -> {
            Optional<Constraint> found = t.constraint(constraint);
            if (found.isEmpty()) {
                problems.add("no constraint \"" + constraint + "\" on table \"" + table + "\"" + (t.constraints().isEmpty() ? ""
                        : " (it has " + String.join(", ", t.constraints().stream().map(c -> "\"" + c.name() + "\"").toList()) + ")")
                        + "; a NOT NULL is not dropped by name here: use dropNotNull(column)");
                return;
            }
            Constraint c = found.get();
            if (c instanceof Constraint.PrimaryKey || c instanceof Constraint.Unique) {
                List<String> dependents = dependentForeignKeys(schema, t, c.columns());
                if (!dependents.isEmpty()) {
                    problems.add((c instanceof Constraint.PrimaryKey ? "primary key" : "unique constraint") + " \"" + constraint
                            + "\" is referenced by " + String.join(", ", dependents) + ": drop "
                            + (dependents.size() == 1 ? "that foreign key" : "those foreign keys") + " first (dropConstraint on "
                            + (dependents.size() == 1 ? "its table" : "their tables") + "), or keep the constraint");
                }
            }
        });
        return problems;
    }

    /**
     * The foreign keys (of any table) that reference exactly these columns of {@code table}, when no
     * other key of the table covers the same columns (with such a duplicate key the database may
     * have tied them to either one; the dialect then checks on the server).
     */
    private List<String> dependentForeignKeys(Schema schema, Table t, List<ColumnName> columns) {
        Set<ColumnName> key = Set.copyOf(columns);
        boolean duplicateKey = t.constraints().stream()
                .filter(o -> !o.name().equals(constraint))
                .filter(o -> o instanceof Constraint.PrimaryKey || o instanceof Constraint.Unique)
                .anyMatch(o -> o.columns().size() == columns.size() && Set.copyOf(o.columns()).equals(key))
                || t.indexes().stream().anyMatch(i -> i.unique() && i.predicate().isEmpty() && i.columns().size() == i.elements().size()
                && i.columns().size() == columns.size() && Set.copyOf(i.columns()).equals(key));
        if (duplicateKey) {
            return List.of();
        }
        List<String> dependents = new ArrayList<>();
        for (Table other : schema.tables()) {
            for (Constraint oc : other.constraints()) {
                if (oc instanceof Constraint.ForeignKey fk && fk.referencedTable().equals(table)) {
                    List<ColumnName> referenced = fk.referencedColumns().isEmpty()
                            ? t.primaryKey().map(Constraint.PrimaryKey::columns).orElse(List.of())
                            : fk.referencedColumns();
                    if (referenced.size() == columns.size() && Set.copyOf(referenced).equals(key)) {
                        dependents.add("foreign key \"" + fk.name() + "\" of table \"" + other.name() + "\"");
                    }
                }
            }
        }
        return dependents;
    }

    /** The schema without the constraint; refused (IllegalStateException) when the drop is not valid there. */
    @Override
    public Schema applyTo(Schema schema) {
        List<String> problems = problems(schema);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
        Table t = schema.requireTable(table);
        return schema.withTable(t.withConstraints(t.constraints().stream().filter(c -> !c.name().equals(constraint)).toList()));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitDropConstraint(this);
    }
}
