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
 * Allows NULL in a column. Undoing it means making the column NOT NULL again, which fails once
 * NULLs have been written: the dialects say so in the package.
 */
public record DropNotNull(TableName table, ColumnName column) implements Operation {

    public DropNotNull {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
    }

    @Override
    public String describe() {
        return "drop not null on " + table + "." + column;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Optional<Table> t = Names.table(schema, table, problems);
        t.ifPresent(found -> {
            Names.requireColumns(found, List.of(column), problems);
            found.column(column).filter(c -> c.nullable()).ifPresent(c -> problems.add("column \"" + column + "\" of table \""
                    + table + "\" already allows NULL: there is nothing to do"));
        });
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        Table t = schema.requireTable(table);
        return schema.withTable(t.withColumn(column, c -> c.withNullable(true)));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitDropNotNull(this);
    }
}
