package io.zerodown.testing;

import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.operation.MigrationPlan;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One generated round trip: tables with rows (the first is the main one; a second may reference
 * it), a plan of supported operations on them, the downtime and rollback requirements, and where
 * an interrupted up run stops before it is run again.
 *
 * @param rewritten   per table, the pre-existing columns whose values the up script changes on
 *                    purpose (a backfill); every other pre-existing column must keep its data
 * @param moved       per table, the pre-existing columns the up script may rename or park (rename
 *                    column, drop column): not readable under their name after up, back after down
 * @param interruptAt the index of the up step at which a first run is interrupted (a backfill
 *                    there runs one batch; any other step there does not run), before the whole up script runs
 */
public record RoundTripCase(List<TableSpec> tables, MigrationPlan plan, Map<String, Set<String>> rewritten,
                            Map<String, Set<String>> moved, DowntimeTolerance downtime, RollbackRequirement rollback, int interruptAt) {

    public RoundTripCase {
        tables = List.copyOf(tables);
        rewritten = Map.copyOf(rewritten);
        moved = Map.copyOf(moved);
    }

    /** The main table. */
    public TableSpec table() {
        return tables.get(0);
    }

    /** The pre-existing columns of {@code table} whose data the up script must leave untouched. */
    public List<String> untouchedColumns(TableSpec table) {
        Set<String> changed = rewritten.getOrDefault(table.name(), Set.of());
        Set<String> gone = moved.getOrDefault(table.name(), Set.of());
        return table.columnNames().stream().filter(c -> !changed.contains(c) && !gone.contains(c)).toList();
    }

    /**
     * The pre-existing columns of {@code table} whose data the down script must bring back: all of
     * them when the rollback requirement keeps old values, otherwise only the untouched ones.
     */
    public List<String> restoredColumns(TableSpec table) {
        Set<String> changed = rewritten.getOrDefault(table.name(), Set.of());
        return rollback instanceof RollbackRequirement.ReversibleFor ? table.columnNames()
                : table.columnNames().stream().filter(c -> !changed.contains(c)).toList();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (TableSpec t : tables) {
            s.append("table ").append(t.name()).append(' ').append(t.columns()).append(" with ").append(t.rows().size()).append(" rows; ");
        }
        return s + "plan " + plan.operations().stream().map(o -> o.describe()).toList() + "; " + downtime.describe() + "; "
                + rollback.describe() + "; interrupted at step " + interruptAt;
    }
}
