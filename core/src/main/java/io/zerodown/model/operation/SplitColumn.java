package io.zerodown.model.operation;

import io.zerodown.model.ColumnName;
import io.zerodown.model.SqlType;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Splits a text column into two new columns at a separator, keeping old and new in step while
 * both exist.
 *
 * <p>Semantics, the same in every dialect and in the sync trigger:
 * <ul>
 *   <li>the value is trimmed of surrounding spaces first;</li>
 *   <li>NULL, empty and all-space values give NULL in both new columns;</li>
 *   <li>a value without the separator goes whole into the first column, and the second is NULL
 *       ({@code 'Cher'} gives {@code 'Cher'} and NULL, not {@code 'Cher'} twice);</li>
 *   <li>otherwise the value is cut at the {@linkplain SplitAt first or last} occurrence of the
 *       separator; each part is trimmed of spaces, and an empty part becomes NULL.</li>
 * </ul>
 * Writing the new columns fills the old one with {@code first || separator || second} (or just the
 * part that is not NULL), so old and new application code can run side by side.
 *
 * @param table      the table
 * @param source     the column to split
 * @param separator  the text to cut at (not empty)
 * @param at         which occurrence of the separator to cut at
 * @param first      the column that receives the part before the cut
 * @param second     the column that receives the part after the cut
 * @param firstType  the first column's type; defaults to the source column's type
 * @param secondType the second column's type; defaults to the source column's type
 * @param batching   how the backfill is cut into transactions
 * @param dropSource whether the contract phase drops the source column (after the rollback period)
 */
public record SplitColumn(TableName table, ColumnName source, String separator, SplitAt at, ColumnName first,
                          ColumnName second, Optional<SqlType> firstType, Optional<SqlType> secondType,
                          Batching batching, boolean dropSource) implements Operation {

    public SplitColumn {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(separator, "separator");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        Objects.requireNonNull(firstType, "firstType");
        Objects.requireNonNull(secondType, "secondType");
        Objects.requireNonNull(batching, "batching");
    }

    /** Where the value is cut when the separator occurs more than once. */
    public enum SplitAt {
        /** At the first occurrence: {@code 'Anne Marie Smith'} gives {@code 'Anne'} and {@code 'Marie Smith'}. */
        FIRST,
        /** At the last occurrence: {@code 'Anne Marie Smith'} gives {@code 'Anne Marie'} and {@code 'Smith'}. */
        LAST
    }

    @Override
    public String describe() {
        return "split " + table + "." + source + " into " + first + ", " + second
                + " at the " + at.name().toLowerCase(java.util.Locale.ROOT) + " '" + separator + "'";
    }

    /** The type the first new column gets. */
    public SqlType firstType(Schema schema) {
        return firstType.orElseGet(() -> sourceColumn(schema).type());
    }

    /** The type the second new column gets. */
    public SqlType secondType(Schema schema) {
        return secondType.orElseGet(() -> sourceColumn(schema).type());
    }

    public Column sourceColumn(Schema schema) {
        return schema.requireTable(table).column(source)
                .orElseThrow(() -> new IllegalStateException("no column " + source + " on " + table));
    }

    public Column firstColumn(Schema schema) {
        return Column.of(first.value(), firstType(schema));
    }

    public Column secondColumn(Schema schema) {
        return Column.of(second.value(), secondType(schema));
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Names.badName("first column", first.value()).ifPresent(problems::add);
        Names.badName("second column", second.value()).ifPresent(problems::add);
        if (separator.isEmpty()) {
            problems.add("the separator is empty; give the text to split at, e.g. atFirst(\" \")");
        }
        if (first.equals(second)) {
            problems.add("both parts go to the same column \"" + first + "\"; name two different columns");
        }
        problems.addAll(batching.problems());
        Optional<Table> found = schema.table(table);
        if (found.isEmpty()) {
            problems.add(Names.unknownTable(schema, table));
            return problems;
        }
        Table t = found.get();
        if (!t.hasColumn(source)) {
            problems.add(Names.unknownColumn(t, source));
        }
        for (ColumnName target : List.of(first, second)) {
            if (target.equals(source)) {
                problems.add("\"" + target + "\" is the column being split; the parts need new columns");
            } else if (t.hasColumn(target)) {
                problems.add("column \"" + target + "\" already exists in table \"" + table
                        + "\"; choose another name, or drop it first");
            }
        }
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        Table t = schema.requireTable(table);
        List<Column> columns = new ArrayList<>(t.columns());
        columns.add(firstColumn(schema));
        columns.add(secondColumn(schema));
        if (dropSource) {
            columns.removeIf(c -> c.name().equals(source));
        }
        return schema.withTable(t.withColumns(columns));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitSplitColumn(this);
    }

    public SplitColumn withBatching(Batching newBatching) {
        return new SplitColumn(table, source, separator, at, first, second, firstType, secondType, newBatching, dropSource);
    }

    public SplitColumn withTypes(Optional<SqlType> newFirstType, Optional<SqlType> newSecondType) {
        return new SplitColumn(table, source, separator, at, first, second, newFirstType, newSecondType, batching, dropSource);
    }

    public SplitColumn withDropSource(boolean newDropSource) {
        return new SplitColumn(table, source, separator, at, first, second, firstType, secondType, batching, newDropSource);
    }

    @Override
    public java.util.Set<ColumnName> derivedColumns() {
        return java.util.Set.of(first, second);
    }

    @Override
    public java.util.Set<ColumnName> sourceColumns() {
        return java.util.Set.of(source);
    }
}
