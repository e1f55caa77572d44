package io.zerodown.model.operation;

import io.zerodown.model.ColumnName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Fills a column from an SQL expression over the row, in committed keyset batches. */
public record BackfillColumn(TableName table, ColumnName column, SqlExpression value, Batching batching) implements Operation {

    public BackfillColumn {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(batching, "batching");
    }

    @Override
    public String describe() {
        return "backfill " + table + "." + column + " with " + value.source();
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Optional<Table> t = Names.table(schema, table, problems);
        t.ifPresent(found -> Names.requireColumns(found, List.of(column), problems));
        value.problem().ifPresent(p -> problems.add("value: " + p));
        problems.addAll(batching.problems());
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        Table t = schema.requireTable(table);
        return schema;
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitBackfillColumn(this);
    }
}
