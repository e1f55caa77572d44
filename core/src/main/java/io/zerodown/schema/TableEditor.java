package io.zerodown.schema;

import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Table;
import io.zerodown.schema.Ddl.Name;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * One table while a statement changes it: adds checks, keys and foreign keys the way the database
 * would, naming the unnamed ones through the conventions and reporting what cannot be added.
 */
final class TableEditor {

    private final SchemaBuilder builder;
    private final TableName name;
    private final List<Column> columns;
    private final List<Constraint> tableConstraints;
    private final List<Index> indexes;
    private final Table original;

    TableEditor(SchemaBuilder builder, Table table) {
        this.builder = builder;
        this.original = table;
        this.name = table.name();
        this.columns = new ArrayList<>(table.columns());
        this.tableConstraints = new ArrayList<>(table.constraints());
        this.indexes = new ArrayList<>(table.indexes());
    }

    TableName name() {
        return name;
    }

    /** The table's columns so far. */
    List<Column> columns() {
        return List.copyOf(columns);
    }

    void addColumns(List<Column> added) {
        columns.addAll(added);
    }

    void addIndex(Index index) {
        indexes.add(index);
    }

    Table toTable() {
        return new Table(name, columns, tableConstraints, indexes, original.triggers());
    }

    Optional<ColumnName> column(String written, String what, Consumer<String> problems) {
        ColumnName column = ColumnName.of(written);
        if (columns.stream().noneMatch(c -> c.name().equals(column))) {
            problems.accept(what + " names column \"" + written + "\", which table \"" + name + "\" does not have");
            return Optional.empty();
        }
        return Optional.of(column);
    }

    /** The columns, each of which must exist, once each; empty if any does not. */
    Optional<List<ColumnName>> columns(List<Name> written, String what, Consumer<String> problems) {
        List<ColumnName> result = new ArrayList<>();
        boolean complete = true;
        for (Name n : written) {
            Optional<ColumnName> column = column(builder.identifier(n), what, problems);
            if (column.isEmpty()) {
                complete = false;
            } else if (result.contains(column.get())) {
                problems.accept(what + " names column \"" + column.get() + "\" twice: name it once");
                complete = false;
            } else {
                result.add(column.get());
            }
        }
        return complete ? Optional.of(result) : Optional.empty();
    }

    /** Reports the columns a stored generation expression reads that the table lacks (once all columns are known). */
    void checkStoredExpression(String column, Ddl.Expr expression, Consumer<String> problems) {
        Expressions.read(expression, "", s -> { })
                .ifPresent(e -> Expressions.columnsRead(e, "the generation expression of column \"" + column + "\"",
                        name.value(), columns, problems));
    }

    void addCheck(Ddl.Check check, Consumer<String> problems) {
        Optional<SqlExpression> expression = Expressions.read(check.expression(), "the CHECK expression", problems);
        if (expression.isEmpty()) {
            return;
        }
        List<ColumnName> read = Expressions.columnsRead(expression.get(), "the CHECK expression", name.value(), columns, problems);
        Optional<ConstraintName> constraintName = check.name().isPresent()
                ? explicitName(check.name().get(), false, problems)
                : Optional.of(builder.conventions().checkName(name, read, builder));
        constraintName.ifPresent(n -> add(new Constraint.Check(n, expression.get(), !check.notValid())));
    }

    /**
     * Adds PRIMARY KEY and UNIQUE constraints: the primary key first, then the others in order;
     * when {@code merge}, a key on the same columns as an earlier one is dropped (its name going
     * to the earlier one if that had none), as PostgreSQL's CREATE TABLE does.
     */
    void addKeys(List<Ddl.Key> keys, boolean merge, Consumer<String> problems) {
        List<PendingKey> pending = new ArrayList<>();
        boolean hasPrimaryKey = tableConstraints.stream().anyMatch(Constraint.PrimaryKey.class::isInstance);
        for (Ddl.Key key : keys) {
            if (!key.primary()) {
                continue;
            }
            if (hasPrimaryKey) {
                problems.accept("table \"" + name + "\" gets a second PRIMARY KEY: a table has at most one");
                continue;
            }
            hasPrimaryKey = true;
            columns(key.columns(), "the PRIMARY KEY", problems).ifPresent(c -> pending.add(new PendingKey(true, c, key.name())));
        }
        for (Ddl.Key key : keys) {
            if (key.primary()) {
                continue;
            }
            Optional<List<ColumnName>> keyColumns = columns(key.columns(), "the UNIQUE constraint", problems);
            if (keyColumns.isEmpty()) {
                continue;
            }
            Optional<PendingKey> same = merge
                    ? pending.stream().filter(p -> p.columns.equals(keyColumns.get())).findFirst()
                    : Optional.empty();
            if (same.isPresent()) {
                if (same.get().name.isEmpty()) {
                    same.get().name = key.name();
                }
            } else {
                pending.add(new PendingKey(false, keyColumns.get(), key.name()));
            }
        }
        for (PendingKey key : pending) {
            Optional<ConstraintName> keyName = key.name.isPresent()
                    ? explicitName(key.name.get(), true, problems)
                    : Optional.of(key.primary
                            ? builder.conventions().primaryKeyName(name, key.columns, builder)
                            : builder.conventions().uniqueName(name, key.columns, builder));
            if (keyName.isEmpty()) {
                continue;
            }
            builder.takeRelation(keyName.get().value());
            if (key.primary) {
                add(new Constraint.PrimaryKey(keyName.get(), key.columns));
                if (builder.conventions().primaryKeyImpliesNotNull()) {
                    for (ColumnName column : key.columns) {
                        replaceColumn(column, c -> c.withNullable(false));
                    }
                }
            } else {
                add(new Constraint.Unique(keyName.get(), key.columns));
            }
        }
    }

    void addForeignKey(Ddl.ForeignKey foreignKey, Consumer<String> problems) {
        Optional<List<ColumnName>> referencing = columns(foreignKey.columns(), "the FOREIGN KEY", problems);
        TableName referencedName = TableName.of(builder.tableName(foreignKey.referencedTable(), problems));
        Table referenced = referencedName.equals(name) ? toTable() : builder.table(referencedName);
        if (referenced == null) {
            problems.accept("the FOREIGN KEY references table \"" + referencedName
                    + "\", which does not exist: create it earlier in the DDL");
            return;
        }
        Optional<List<ColumnName>> referencedColumns = referencedColumns(foreignKey, referenced, problems);
        if (referencing.isEmpty() || referencedColumns.isEmpty()) {
            return;
        }
        if (referencing.get().size() != referencedColumns.get().size()) {
            problems.accept("the FOREIGN KEY has " + referencing.get().size() + " column(s) but references "
                    + referencedColumns.get().size() + ": name as many referenced columns as referencing ones");
            return;
        }
        if (!isUniqueKey(referenced, referencedColumns.get())) {
            problems.accept("the FOREIGN KEY references " + referencedColumns.get() + " of table \"" + referencedName
                    + "\", which is neither its primary key nor unique: reference a primary key or unique constraint");
            return;
        }
        Optional<ConstraintName> constraintName = foreignKey.name().isPresent()
                ? explicitName(foreignKey.name().get(), false, problems)
                : Optional.of(builder.conventions().foreignKeyName(name, referencing.get(), builder));
        constraintName.ifPresent(n -> add(new Constraint.ForeignKey(n, referencing.get(), referencedName,
                referencedColumns.get(), foreignKey.onDelete(), foreignKey.onUpdate(), !foreignKey.notValid())));
    }

    private Optional<List<ColumnName>> referencedColumns(Ddl.ForeignKey foreignKey, Table referenced, Consumer<String> problems) {
        if (foreignKey.referencedColumns().isEmpty()) {
            Optional<Constraint.PrimaryKey> primaryKey = referenced.primaryKey();
            if (primaryKey.isEmpty()) {
                problems.accept("the FOREIGN KEY references table \"" + referenced.name()
                        + "\" without naming columns, but that table has no primary key: name the referenced columns");
            }
            return primaryKey.map(Constraint.PrimaryKey::columns);
        }
        List<ColumnName> result = new ArrayList<>();
        for (Name n : foreignKey.referencedColumns()) {
            ColumnName column = ColumnName.of(builder.identifier(n));
            if (!referenced.hasColumn(column)) {
                problems.accept("the FOREIGN KEY references column \"" + column + "\", which table \""
                        + referenced.name() + "\" does not have");
                return Optional.empty();
            }
            result.add(column);
        }
        return Optional.of(result);
    }

    private Optional<ConstraintName> explicitName(Name written, boolean hasIndex, Consumer<String> problems) {
        ConstraintName constraintName = ConstraintName.of(builder.identifier(written));
        if (tableConstraints.stream().anyMatch(c -> c.name().equals(constraintName))) {
            problems.accept("table \"" + name + "\" already has a constraint named \"" + constraintName + "\": rename one");
            return Optional.empty();
        }
        if (hasIndex && builder.isRelation(constraintName.value())) {
            problems.accept("\"" + constraintName + "\" is already the name of a table, index or sequence, and this "
                    + "constraint's index would take it: rename the constraint");
            return Optional.empty();
        }
        return Optional.of(constraintName);
    }

    private void add(Constraint constraint) {
        tableConstraints.add(constraint);
        builder.takeConstraint(constraint.name().value());
    }

    private void replaceColumn(ColumnName column, UnaryOperator<Column> change) {
        columns.replaceAll(c -> c.name().equals(column) ? change.apply(c) : c);
    }

    /** Whether the columns, in any order, are a primary key, a unique constraint or a plain unique index of the table. */
    private static boolean isUniqueKey(Table table, List<ColumnName> columns) {
        Set<ColumnName> wanted = Set.copyOf(columns);
        boolean byConstraint = table.constraints().stream()
                .filter(c -> c instanceof Constraint.PrimaryKey || c instanceof Constraint.Unique)
                .anyMatch(c -> c.columns().size() == columns.size() && Set.copyOf(c.columns()).equals(wanted));
        boolean byIndex = table.indexes().stream()
                .filter(i -> i.unique() && i.predicate().isEmpty() && i.columns().size() == i.elements().size())
                .anyMatch(i -> i.columns().size() == columns.size() && Set.copyOf(i.columns()).equals(wanted));
        return byConstraint || byIndex;
    }

    /** A PRIMARY KEY or UNIQUE constraint before it is named. */
    private static final class PendingKey {
        private final boolean primary;
        private final List<ColumnName> columns;
        private Optional<Name> name;

        PendingKey(boolean primary, List<ColumnName> columns, Optional<Name> name) {
            this.primary = primary;
            this.columns = List.copyOf(columns);
            this.name = name;
        }
    }
}
