package io.zerodown.model.operation;

import io.zerodown.model.TableName;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Drops a table: a contract-phase step, run once the application no longer uses it. With
 * {@code renameFirst}, the table is first renamed out of the way in the expand phase, which can be
 * undone at once (anything still using it fails loudly, and the down script renames it back), and
 * dropped only in the contract phase.
 *
 * <p>A table that other tables' foreign keys reference cannot be dropped: drop those foreign keys
 * first (its own foreign keys, and one referencing itself, go with it).
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
        Names.table(schema, table, problems).ifPresent(t -> {
            List<String> referencing = referencingForeignKeys(schema);
            if (!referencing.isEmpty()) {
                problems.add("table \"" + table + "\" is referenced by the foreign key" + (referencing.size() == 1 ? " " : "s ")
                        + String.join(", ", referencing) + "; drop " + (referencing.size() == 1 ? "it" : "them")
                        + " first (dropConstraint on the referencing table), or keep the table");
            }
        });
        return problems;
    }

    /** The foreign keys of other tables that reference this one, as {@code "constraint" on "table"}. */
    public List<String> referencingForeignKeys(Schema schema) {
        List<String> found = new ArrayList<>();
        for (Table other : schema.tables()) {
            if (other.name().equals(table)) {
                continue;
            }
            for (Constraint c : other.constraints()) {
                if (c instanceof Constraint.ForeignKey fk && fk.referencedTable().equals(table)) {
                    found.add("\"" + fk.name() + "\" on \"" + other.name() + "\"");
                }
            }
        }
        return found;
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
