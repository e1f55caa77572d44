package io.zerodown.model.operation;

import io.zerodown.model.TableName;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Renames a table without breaking running code: the old name keeps working until the contract
 * phase (on PostgreSQL through an automatically updatable view of that name).
 *
 * <p>The table keeps everything else: its columns, constraints, indexes, triggers and the sequences
 * of its serial columns keep their names; foreign keys that reference it follow it.
 *
 * @param table the table's current name
 * @param to    its new name
 */
public record RenameTable(TableName table, TableName to) implements Operation {

    public RenameTable {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(to, "to");
    }

    @Override
    public String describe() {
        return "rename table " + table + " to " + to;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Names.badName("table", to.value()).ifPresent(problems::add);
        Names.table(schema, table, problems);
        if (to.equals(table)) {
            problems.add("the table is already called \"" + to + "\"");
        } else if (schema.table(to).isPresent()) {
            problems.add("a table named \"" + to + "\" already exists");
        }
        return problems;
    }

    /** The schema with the table renamed and every foreign key that references it pointing at the new name. */
    @Override
    public Schema applyTo(Schema schema) {
        Table renamedTable = schema.requireTable(table).withName(to);
        List<Table> tables = new ArrayList<>();
        for (Table t : schema.tables()) {
            Table current = t.name().equals(table) ? renamedTable : t;
            tables.add(current.withConstraints(current.constraints().stream()
                    .map(c -> c instanceof Constraint.ForeignKey fk && fk.referencedTable().equals(table)
                            ? new Constraint.ForeignKey(fk.name(), fk.columns(), to, fk.referencedColumns(), fk.onDelete(),
                                    fk.onUpdate(), fk.validated())
                            : c)
                    .toList()));
        }
        return new Schema(tables, schema.functions());
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitRenameTable(this);
    }
}
