package io.zerodown.model.operation;

import io.zerodown.model.ConstraintName;
import io.zerodown.model.IndexName;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Drops an index without blocking reads or writes where the dialect can. The index of a PRIMARY
 * KEY or UNIQUE constraint is not an index here: drop the constraint instead.
 */
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
            Optional<Index> found = t.index(index);
            if (found.isEmpty()) {
                Optional<Constraint> backed = backedConstraint(t, index);
                if (backed.isPresent()) {
                    problems.add("index \"" + index + "\" backs the " + kind(backed.get()) + " \"" + backed.get().name() + "\" of table \""
                            + table + "\" and cannot be dropped on its own: drop the constraint instead (dropConstraint(\""
                            + backed.get().name() + "\"))");
                } else {
                    problems.add("no index \"" + index + "\" on table \"" + table + "\"" + (schema.index(index).isPresent()
                            ? " (it is on table \"" + schema.index(index).get().table() + "\")" : ""));
                }
                return;
            }
            referencingForeignKey(schema, t, found.get()).ifPresent(fk -> problems.add("foreign key \"" + fk.name() + "\" of table \""
                    + owner(schema, fk) + "\" references " + table + " (" + String.join(", ", fk.referencedColumns().stream()
                    .map(c -> c.value()).toList()) + ") through the unique index \"" + index + "\", the only unique key on those "
                    + "columns: drop or change the foreign key first, or add a unique constraint on them"));
        });
        return problems;
    }

    /** The PRIMARY KEY or UNIQUE constraint whose index has this name (its index takes the constraint's name). */
    static Optional<Constraint> backedConstraint(Table table, IndexName index) {
        return table.constraint(ConstraintName.of(index.value()))
                .filter(c -> c instanceof Constraint.PrimaryKey || c instanceof Constraint.Unique);
    }

    static String kind(Constraint constraint) {
        return constraint instanceof Constraint.PrimaryKey ? "primary key" : "unique constraint";
    }

    /**
     * A foreign key that can only rest on this index: one referencing exactly its columns, when no
     * PRIMARY KEY or UNIQUE constraint of the table covers the same columns. (When one does, the
     * database may have chosen either; the dialect's pre-check asks the catalog.)
     */
    private static Optional<Constraint.ForeignKey> referencingForeignKey(Schema schema, Table t, Index index) {
        if (!index.unique() || index.predicate().isPresent() || index.columns().size() != index.elements().size()) {
            return Optional.empty();
        }
        Set<Object> columns = new HashSet<>(index.columns());
        boolean coveredByConstraint = t.constraints().stream()
                .filter(c -> c instanceof Constraint.PrimaryKey || c instanceof Constraint.Unique)
                .anyMatch(c -> new HashSet<Object>(c.columns()).equals(columns));
        if (coveredByConstraint) {
            return Optional.empty();
        }
        return schema.tables().stream().flatMap(other -> other.constraints().stream())
                .filter(Constraint.ForeignKey.class::isInstance).map(Constraint.ForeignKey.class::cast)
                .filter(fk -> fk.referencedTable().equals(t.name()) && new HashSet<Object>(fk.referencedColumns()).equals(columns))
                .findFirst();
    }

    private static TableName owner(Schema schema, Constraint.ForeignKey fk) {
        return schema.tables().stream().filter(t -> t.constraints().contains(fk)).map(Table::name).findFirst().orElseThrow();
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
