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
 * Merges text columns into one new column, joined with a separator (NULL parts skipped), keeping
 * old and new in step while both exist. The reverse of {@link SplitColumn}.
 *
 * @param sources     the columns to merge, in order
 * @param separator   the text put between non-NULL parts
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
        problems.addAll(batching.problems());
        Names.table(schema, table, problems).ifPresent(t -> {
            Names.requireColumns(t, sources, problems);
            if (t.hasColumn(target)) {
                problems.add("column \"" + target + "\" already exists in table \"" + table + "\"");
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
}
