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
 * Merges text columns into one new column, keeping old and new in step while both exist. The
 * reverse of {@link SplitColumn}.
 *
 * <p>Semantics, the same in the backfill and in the sync trigger:
 * <ul>
 *   <li>each source value is trimmed of surrounding spaces; NULL, empty and all-space values are
 *       left out;</li>
 *   <li>the values left are joined in the order of {@code sources} with the separator between
 *       them (the separator itself is kept as given, spaces included);</li>
 *   <li>when no value is left the new column is NULL (never an empty string).</li>
 * </ul>
 * {@code ('John', 'Smith')} gives {@code 'John Smith'}; {@code ('  John ', NULL)} gives
 * {@code 'John'}; {@code (NULL, '')} gives NULL.
 *
 * <p>Writing the new column (new code) fills the sources back only when there are exactly two of
 * them and the separator is not empty: the value is split as {@link SplitColumn} splits at the
 * first separator. Otherwise the sync is one-way, and new code must keep writing the sources for as
 * long as old code reads them.
 *
 * @param sources     the columns to merge, in order
 * @param separator   the text put between non-empty parts
 * @param target      the new column
 * @param type        its type; defaults to {@code text}
 * @param dropSources whether the contract phase drops the source columns
 */
public record MergeColumns(TableName table, List<ColumnName> sources, String separator, ColumnName target, Optional<SqlType> type,
                           Batching batching, boolean dropSources) implements Operation {

    public MergeColumns {
        Objects.requireNonNull(table, "table");
        sources = List.copyOf(sources);
        Objects.requireNonNull(separator, "separator");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(batching, "batching");
    }

    public Column targetColumn() {
        return Column.of(target.value(), type.orElse(SqlType.of("text")));
    }

    @Override
    public String describe() {
        return "merge " + table + "." + String.join(", ", sources.stream().map(ColumnName::value).toList()) + " into " + target;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Names.badName("target column", target.value()).ifPresent(problems::add);
        if (sources.size() < 2) {
            problems.add("merging needs at least two source columns, got " + sources.size());
        }
        if (separator.indexOf('\0') >= 0) {
            problems.add("the separator contains a NUL character, which no text column can hold");
        }
        java.util.Set<ColumnName> seen = new java.util.HashSet<>();
        for (ColumnName source : sources) {
            if (!seen.add(source)) {
                problems.add("column \"" + source + "\" is listed twice among the columns to merge");
            }
        }
        problems.addAll(batching.problems());
        Names.table(schema, table, problems).ifPresent(t -> {
            Names.requireColumns(t, sources, problems);
            if (sources.contains(target)) {
                problems.add("\"" + target + "\" is one of the columns being merged; the merged value needs a new column");
            } else if (t.hasColumn(target)) {
                problems.add("column \"" + target + "\" already exists in table \"" + table + "\"; choose another name, or drop it first");
            }
        });
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        Table t = schema.requireTable(table);
        List<Column> columns = new ArrayList<>(t.columns());
        columns.add(targetColumn());
        if (dropSources) {
            columns.removeIf(c -> sources.contains(c.name()));
        }
        return schema.withTable(t.withColumns(columns));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitMergeColumns(this);
    }

    @Override
    public java.util.Set<ColumnName> derivedColumns() {
        return java.util.Set.of(target);
    }

    @Override
    public java.util.Set<ColumnName> sourceColumns() {
        return java.util.Set.copyOf(sources);
    }
}
