package io.zerodown.model.schema;

import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.IndexName;
import io.zerodown.model.TableName;
import io.zerodown.model.TriggerName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A table: columns in their physical order; constraints, indexes and triggers sorted by name, so
 * that two descriptions of the same table are equal whatever order their DDL or catalog used.
 */
public record Table(TableName name, List<Column> columns, List<Constraint> constraints, List<Index> indexes,
                    List<Trigger> triggers) {

    public Table {
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
        constraints = constraints.stream().sorted(Comparator.comparing(c -> c.name().value())).toList();
        indexes = indexes.stream().sorted(Comparator.comparing(i -> i.name().value())).toList();
        triggers = triggers.stream().sorted(Comparator.comparing(t -> t.name().value())).toList();
    }

    public static Table of(TableName name, List<Column> columns) {
        return new Table(name, columns, List.of(), List.of(), List.of());
    }

    public Optional<Column> column(ColumnName column) {
        return columns.stream().filter(c -> c.name().equals(column)).findFirst();
    }

    public boolean hasColumn(ColumnName column) {
        return column(column).isPresent();
    }

    public Optional<Constraint.PrimaryKey> primaryKey() {
        return constraints.stream()
                .filter(Constraint.PrimaryKey.class::isInstance)
                .map(Constraint.PrimaryKey.class::cast)
                .findFirst();
    }

    public Optional<Constraint> constraint(ConstraintName constraint) {
        return constraints.stream().filter(c -> c.name().equals(constraint)).findFirst();
    }

    public Optional<Index> index(IndexName index) {
        return indexes.stream().filter(i -> i.name().equals(index)).findFirst();
    }

    public Optional<Trigger> trigger(TriggerName trigger) {
        return triggers.stream().filter(t -> t.name().equals(trigger)).findFirst();
    }

    public Table withName(TableName newName) {
        return new Table(newName, columns, constraints,
                indexes.stream().map(i -> i.withTable(newName)).toList(), triggers);
    }

    public Table withColumns(List<Column> newColumns) {
        return new Table(name, newColumns, constraints, indexes, triggers);
    }

    public Table withConstraints(List<Constraint> newConstraints) {
        return new Table(name, columns, newConstraints, indexes, triggers);
    }

    public Table withIndexes(List<Index> newIndexes) {
        return new Table(name, columns, constraints, newIndexes, triggers);
    }

    public Table withTriggers(List<Trigger> newTriggers) {
        return new Table(name, columns, constraints, indexes, newTriggers);
    }

    /** This table with one column replaced by what {@code change} makes of it. */
    public Table withColumn(ColumnName column, UnaryOperator<Column> change) {
        List<Column> changed = new ArrayList<>();
        for (Column c : columns) {
            changed.add(c.name().equals(column) ? change.apply(c) : c);
        }
        return withColumns(changed);
    }
}
