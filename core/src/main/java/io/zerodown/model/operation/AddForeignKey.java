package io.zerodown.model.operation;

import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.IndexName;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Column;
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
 * Adds a foreign key from {@code columns} of {@code table} to {@code referencedColumns} of
 * {@code referencedTable} (its primary key when none are given), validated without blocking
 * writes where the dialect can, and (unless turned off) with an index on the referencing columns
 * when no index starts with them yet.
 *
 * <pre>{@code Migration.on("orders").addForeignKey("user_id").references("users").onDelete(ReferentialAction.CASCADE)}</pre>
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

    /** The name given, or {@code <table>_<columns>_fkey} (PostgreSQL's convention). */
    public ConstraintName resolvedName() {
        return name.orElseGet(() -> ConstraintName.of(table.value() + "_" + String.join("_", columns.stream().map(ColumnName::value).toList()) + "_fkey"));
    }

    /** The referenced columns as given, or the referenced table's primary key when none were (empty when it has none). */
    public List<ColumnName> resolvedReferencedColumns(Schema schema) {
        if (!referencedColumns.isEmpty()) {
            return referencedColumns;
        }
        return schema.table(referencedTable).flatMap(Table::primaryKey).map(Constraint.PrimaryKey::columns).orElse(List.of());
    }

    /** The constraint once validated. */
    public Constraint.ForeignKey constraint(Schema schema) {
        return new Constraint.ForeignKey(resolvedName(), columns, referencedTable, resolvedReferencedColumns(schema), onDelete, onUpdate, true);
    }

    /**
     * The index or key constraint of {@code table} that already serves lookups by the referencing
     * columns: a valid, non-partial btree index (or a hash index on the one column), a primary key
     * or a unique constraint, whose leading keys are exactly those columns in any order.
     */
    public Optional<String> servingIndex(Schema schema) {
        Optional<Table> t = schema.table(table);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        Set<ColumnName> wanted = Set.copyOf(columns);
        for (Constraint c : t.get().constraints()) {
            if ((c instanceof Constraint.PrimaryKey || c instanceof Constraint.Unique) && c.columns().size() >= columns.size()
                    && Set.copyOf(c.columns().subList(0, columns.size())).equals(wanted)) {
                return Optional.of(c.name().value());
            }
        }
        for (Index i : t.get().indexes()) {
            boolean usable = i.valid() && i.predicate().isEmpty()
                    && (i.method().equals("btree") || (i.method().equals("hash") && columns.size() == 1));
            if (usable && i.elements().size() >= columns.size()) {
                List<Index.Element> leading = i.elements().subList(0, columns.size());
                if (leading.stream().allMatch(Index.Element.OfColumn.class::isInstance)
                        && leading.stream().map(e -> ((Index.Element.OfColumn) e).column()).collect(java.util.stream.Collectors.toSet()).equals(wanted)) {
                    return Optional.of(i.name().value());
                }
            }
        }
        return Optional.empty();
    }

    /** Whether an index on the referencing columns is to be built: asked for, and none serves them yet. */
    public boolean needsIndex(Schema schema) {
        return indexColumns && servingIndex(schema).isEmpty();
    }

    /** The index built on the referencing columns when {@link #needsIndex} says so: {@code <table>_<columns>_idx}. */
    public Index index() {
        IndexName indexName = IndexName.of(table.value() + "_" + String.join("_", columns.stream().map(ColumnName::value).toList()) + "_idx");
        return new Index(indexName, table, columns.stream().map(c -> (Index.Element) new Index.Element.OfColumn(c, false)).toList(),
                false, Optional.empty(), "btree", true);
    }

    @Override
    public String describe() {
        return "add foreign key " + resolvedName() + " on " + table + " referencing " + referencedTable;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        name.flatMap(n -> Names.badName("constraint", n.value())).ifPresent(problems::add);
        if (columns.isEmpty()) {
            problems.add("a foreign key needs at least one column");
        }
        if (new HashSet<>(columns).size() != columns.size()) {
            problems.add("a foreign key names a column twice: " + columns);
        }
        Optional<Table> child = Names.table(schema, table, problems);
        child.ifPresent(t -> {
            Names.requireColumns(t, columns, problems);
            if (t.constraint(resolvedName()).isPresent()) {
                problems.add("a constraint named \"" + resolvedName() + "\" already exists on \"" + table + "\""
                        + (name.isEmpty() ? "; give this foreign key another name with named(…)" : ""));
            }
        });
        Optional<Table> parent = Names.table(schema, referencedTable, problems);
        parent.ifPresent(p -> {
            if (referencedColumns.isEmpty() && p.primaryKey().isEmpty()) {
                problems.add("the foreign key references table \"" + referencedTable + "\" without naming columns, but that "
                        + "table has no primary key: name the referenced columns (references(\"" + referencedTable + "\", …))");
                return;
            }
            List<ColumnName> referenced = resolvedReferencedColumns(schema);
            int before = problems.size();
            Names.requireColumns(p, referenced, problems);
            if (problems.size() > before) {
                return;
            }
            if (!columns.isEmpty() && columns.size() != referenced.size()) {
                problems.add("a foreign key needs as many referenced columns as columns: " + columns.size() + " and "
                        + referenced.size() + (referencedColumns.isEmpty() ? " (the primary key of \"" + referencedTable + "\")" : ""));
                return;
            }
            if (!isUniqueKey(p, referenced)) {
                problems.add("the foreign key references " + referenced + " of table \"" + referencedTable + "\", which is "
                        + "neither its primary key nor unique: reference a primary key or unique constraint, or add one first "
                        + "(addUnique(…) on \"" + referencedTable + "\")");
            }
        });
        child.ifPresent(t -> {
            for (ColumnName column : columns) {
                Optional<Column> c = t.column(column);
                if (c.isPresent() && !c.get().nullable()) {
                    if (onDelete == Constraint.ReferentialAction.SET_NULL) {
                        problems.add("ON DELETE SET NULL would write NULL into column \"" + column + "\", which is NOT NULL: "
                                + "choose another action or drop NOT NULL first");
                    }
                    if (onUpdate == Constraint.ReferentialAction.SET_NULL) {
                        problems.add("ON UPDATE SET NULL would write NULL into column \"" + column + "\", which is NOT NULL: "
                                + "choose another action or drop NOT NULL first");
                    }
                }
            }
            if (problems.isEmpty() && needsIndex(schema)) {
                IndexName indexName = index().name();
                if (schema.index(indexName).isPresent() || schema.table(TableName.of(indexName.value())).isPresent()
                        || t.constraint(ConstraintName.of(indexName.value())).isPresent()) {
                    problems.add("the index on the referencing columns would be named \"" + indexName + "\", which is taken: "
                            + "create an index on " + columns + " yourself first (createIndex(…).named(…)), or use withoutIndex()");
                }
            }
        });
        return problems;
    }

    /** Whether the columns, in any order, are a primary key, a unique constraint or a plain unique index of the table. */
    static boolean isUniqueKey(Table table, List<ColumnName> columns) {
        Set<ColumnName> wanted = Set.copyOf(columns);
        boolean byConstraint = table.constraints().stream()
                .filter(c -> c instanceof Constraint.PrimaryKey || c instanceof Constraint.Unique)
                .anyMatch(c -> c.columns().size() == columns.size() && Set.copyOf(c.columns()).equals(wanted));
        boolean byIndex = table.indexes().stream()
                .filter(i -> i.unique() && i.valid() && i.predicate().isEmpty() && i.columns().size() == i.elements().size())
                .anyMatch(i -> i.columns().size() == columns.size() && Set.copyOf(i.columns()).equals(wanted));
        return byConstraint || byIndex;
    }

    @Override
    public Schema applyTo(Schema schema) {
        boolean index = needsIndex(schema);
        Table t = schema.requireTable(table);
        List<Constraint> constraints = new ArrayList<>(t.constraints());
        constraints.add(constraint(schema));
        t = t.withConstraints(constraints);
        if (index) {
            List<Index> indexes = new ArrayList<>(t.indexes());
            indexes.add(index());
            t = t.withIndexes(indexes);
        }
        return schema.withTable(t);
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitAddForeignKey(this);
    }
}
