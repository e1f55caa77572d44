package io.zerodown.model.operation;

import io.zerodown.model.ColumnName;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes a column NOT NULL, validating existing rows without blocking writes where the dialect can.
 * Every existing row must already have a value: fill the NULLs first (for instance with
 * {@code backfill(column).with(…)} earlier in the same plan).
 */
public record SetNotNull(TableName table, ColumnName column) implements Operation {

    public SetNotNull {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
    }

    @Override
    public String describe() {
        return "set not null on " + table + "." + column;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Optional<Table> t = Names.table(schema, table, problems);
        t.ifPresent(found -> {
            Names.requireColumns(found, List.of(column), problems);
            found.column(column).filter(c -> !c.nullable()).ifPresent(c -> problems.add("column \"" + column + "\" of table \""
                    + table + "\" is already NOT NULL: there is nothing to do"));
        });
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        Table t = schema.requireTable(table);
        return schema.withTable(t.withColumn(column, c -> c.withNullable(false)));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitSetNotNull(this);
    }
}
