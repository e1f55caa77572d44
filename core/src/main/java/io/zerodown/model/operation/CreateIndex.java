package io.zerodown.model.operation;

import io.zerodown.model.ColumnName;
import io.zerodown.model.IndexName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Creates an index: on columns or expressions, unique or not, partial ({@code WHERE}) or not.
 * Dialects build it without blocking writes where they can.
 *
 * @param table    the table
 * @param name     the index name; when empty the dialect's convention names it ({@code users_last_name_idx})
 * @param elements the keys, in order
 * @param unique   whether it enforces uniqueness
 * @param where    the predicate of a partial index
 * @param method   the access method ({@code btree} unless given)
 */
public record CreateIndex(TableName table, Optional<IndexName> name, List<Index.Element> elements, boolean unique,
                          Optional<SqlExpression> where, String method) implements Operation {

    private static final Pattern METHOD = Pattern.compile("[a-z_][a-z0-9_]*");

    public CreateIndex {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(name, "name");
        elements = List.copyOf(elements);
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(method, "method");
    }

    /** The name given, or {@code <table>_<columns>_idx} (PostgreSQL's own convention). */
    public IndexName resolvedName() {
        return name.orElseGet(() -> {
            List<String> parts = new ArrayList<>();
            parts.add(table.value());
            for (Index.Element e : elements) {
                parts.add(e instanceof Index.Element.OfColumn c ? c.column().value() : "expr");
            }
            parts.add(unique ? "key" : "idx");
            return IndexName.of(String.join("_", parts));
        });
    }

    /** The index as it will exist once built. */
    public Index index() {
        return new Index(resolvedName(), table, elements, unique, where, method, true);
    }

    @Override
    public String describe() {
        return "create " + (unique ? "unique " : "") + "index " + resolvedName() + " on " + table;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        name.flatMap(n -> Names.badName("index", n.value())).ifPresent(problems::add);
        if (elements.isEmpty()) {
            problems.add("an index needs at least one column or expression");
        }
        if (!METHOD.matcher(method).matches()) {
            problems.add("index method \"" + method + "\" is not a plain name (btree, hash, gin, gist, brin, …)");
        }
        Optional<Table> found = schema.table(table);
        if (found.isEmpty()) {
            problems.add(Names.unknownTable(schema, table));
            return problems;
        }
        Table t = found.get();
        for (Index.Element element : elements) {
            if (element instanceof Index.Element.OfColumn c) {
                if (!t.hasColumn(c.column())) {
                    problems.add(Names.unknownColumn(t, c.column()));
                }
            } else if (element instanceof Index.Element.OfExpression e) {
                problems.addAll(expressionProblems("index expression", e.expression(), t));
            }
        }
        where.ifPresent(w -> problems.addAll(expressionProblems("WHERE clause", w, t)));
        IndexName resolved = resolvedName();
        if (schema.index(resolved).isPresent()) {
            problems.add("an index named \"" + resolved + "\" already exists; choose another name with named(…)");
        }
        if (t.constraint(io.zerodown.model.ConstraintName.of(resolved.value())).isPresent()) {
            problems.add("a constraint named \"" + resolved + "\" already exists; choose another name with named(…)");
        }
        if (schema.table(TableName.of(resolved.value())).isPresent()) {
            problems.add("a table named \"" + resolved + "\" exists; an index cannot share its name");
        }
        return problems;
    }

    static List<String> expressionProblems(String what, SqlExpression expression, Table table) {
        Optional<String> syntax = expression.problem();
        if (syntax.isPresent()) {
            return List.of(what + ": " + syntax.get());
        }
        List<String> problems = new ArrayList<>();
        for (String column : expression.referencedColumns()) {
            if (!table.hasColumn(ColumnName.of(column))) {
                problems.add(what + " \"" + expression.source() + "\": " + Names.unknownColumn(table, ColumnName.of(column)));
            }
        }
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        Table t = schema.requireTable(table);
        List<Index> indexes = new ArrayList<>(t.indexes());
        indexes.add(index());
        return schema.withTable(t.withIndexes(indexes));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitCreateIndex(this);
    }

    /** The columns the index reads directly. */
    public List<ColumnName> columns() {
        return index().columns();
    }
}
