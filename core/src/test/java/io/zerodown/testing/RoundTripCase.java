package io.zerodown.testing;

import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.operation.MigrationPlan;

/**
 * One generated round trip: a table with rows, a plan of supported operations on it, the
 * downtime and rollback requirements, and where an interrupted up run stops before it is run again.
 *
 * @param interruptAt the index of the up step at which a first run is interrupted (a backfill
 *                    there runs one batch; any other step there does not run), before the whole up script runs
 */
public record RoundTripCase(TableSpec table, MigrationPlan plan, DowntimeTolerance downtime, RollbackRequirement rollback,
                            int interruptAt) {

    @Override
    public String toString() {
        return "table " + table.name() + " " + table.columns() + " with " + table.rows().size() + " rows; plan "
                + plan.operations().stream().map(o -> o.describe()).toList() + "; " + downtime.describe() + "; " + rollback.describe()
                + "; interrupted at step " + interruptAt;
    }
}
