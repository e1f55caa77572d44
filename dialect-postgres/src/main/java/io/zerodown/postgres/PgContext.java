package io.zerodown.postgres;

import io.zerodown.model.TableName;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.Durations;
import io.zerodown.model.context.LockPolicy;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.operation.Operation;
import io.zerodown.model.schema.Schema;
import java.time.Duration;
import java.util.Locale;

/**
 * What a PostgreSQL compiler needs besides its operation: the schema it runs on, the migration's
 * context, the version's facts and the operation's position (for unique step ids).
 */
record PgContext(Schema schema, MigrationContext migration, PostgresFacts facts, int sequence) {

    TableProfile profile(TableName table) {
        return migration.profile(table);
    }

    LockPolicy lockPolicy() {
        return migration.lockPolicy();
    }

    /** {@code 1.users.split_full_name.expand}: unique within the package, stable across compilations. */
    String stepId(Operation operation, String slug, String part) {
        return sequence + "." + operation.table().value() + "." + slug + "." + part;
    }

    /**
     * Whether to run the direct statements or the online sequence, given what the direct
     * statements would block on the table and for how long.
     *
     * @param direct   the direct statements, in words ("one UPDATE of every row")
     * @param blocks   what they block, in words ("writes to users")
     * @param blocking for how long
     */
    Approach choose(String direct, String blocks, Duration blocking) {
        DowntimeTolerance downtime = migration.downtime();
        String cost = "would block " + blocks + " for about " + Durations.human(blocking);
        if (downtime instanceof DowntimeTolerance.DevOnly) {
            return new Approach(true, "development database, downtime allowed: the direct statements (" + direct
                    + ") are simpler and faster, though in production they " + cost + ".");
        }
        if (downtime instanceof DowntimeTolerance.MaintenanceWindow window) {
            String theWindow = window.used().isZero() ? "the " + Durations.human(window.length()) + " maintenance window"
                    : "the " + Durations.human(window.remaining()) + " left of the " + Durations.human(window.length())
                    + " maintenance window (earlier operations of this plan block traffic for " + Durations.human(window.used()) + ")";
            if (blocking.compareTo(window.remaining()) <= 0) {
                return new Approach(true, "the direct statements (" + direct + ") " + cost.replace("would block", "block")
                        + ", which fits " + theWindow + "; the application must be stopped or read-only during it.");
            }
            return new Approach(false, "the direct statements (" + direct + ") " + cost + ", longer than " + theWindow
                    + ": the online sequence is used instead, and needs no window.");
        }
        return new Approach(false, "no downtime is allowed, and the direct statements (" + direct + ") " + cost
                + ": the online sequence is used, whose blocking locks last milliseconds.");
    }

    /** The decision between the direct statements and the online sequence, with its reason. */
    record Approach(boolean direct, String reason) {
    }

    static String slug(String text) {
        String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
        return s.isEmpty() ? "x" : s;
    }
}
