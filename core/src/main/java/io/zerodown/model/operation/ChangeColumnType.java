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

/** Changes a column type: in place where the dialect can without rewriting, otherwise through a new column kept in sync. */
public record ChangeColumnType(TableName table, ColumnName column, io.zerodown.model.SqlType type, Optional<SqlExpression> using, Batching batching) implements Operation {

    public ChangeColumnType {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(using, "using");
        Objects.requireNonNull(batching, "batching");
    }

    @Override
    public String describe() {
        return "change type of " + table + "." + column + " to " + type.sql();
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Optional<Table> t = Names.table(schema, table, problems);
        t.ifPresent(found -> Names.requireColumns(found, List.of(column), problems));
        using.flatMap(SqlExpression::problem).ifPresent(p -> problems.add("USING: " + p));
        problems.addAll(batching.problems());
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        Table t = schema.requireTable(table);
        return schema.withTable(t.withColumn(column, c -> c.withType(type)));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitChangeColumnType(this);
    }

    @Override
    public java.util.Set<ColumnName> derivedColumns() {
        return java.util.Set.of(column);
    }

    @Override
    public java.util.Set<ColumnName> sourceColumns() {
        return java.util.Set.of(column);
    }
}
