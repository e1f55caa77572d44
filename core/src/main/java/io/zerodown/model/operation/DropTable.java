package io.zerodown.model.operation;

import io.zerodown.model.TableName;
import io.zerodown.model.schema.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Drops a table: a contract-phase step. With {@code renameFirst}, the table is first renamed out
 * of the way, which can be undone, and dropped only in the contract phase.
 */
public record DropTable(TableName table, boolean renameFirst) implements Operation {

    public DropTable {
        Objects.requireNonNull(table, "table");
    }

    @Override
    public String describe() {
        return "drop table " + table;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Names.table(schema, table, problems);
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        return schema.withoutTable(table);
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitDropTable(this);
    }
}
