package io.zerodown.postgres;

import io.zerodown.model.TableName;
import io.zerodown.model.operation.DropTable;
import io.zerodown.model.schema.Table;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Check;
import io.zerodown.plan.Expectation;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.LockDuration;
import io.zerodown.plan.Monitor;
import io.zerodown.plan.Phase;
import io.zerodown.plan.RiskLevel;
import io.zerodown.plan.SchemaChange;
import io.zerodown.plan.Step;
import io.zerodown.plan.Strategy;
import io.zerodown.plan.TableWork;
import io.zerodown.plan.Technique;
import io.zerodown.spi.CompiledOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops a table on PostgreSQL, in the contract phase, once the application no longer uses it.
 *
 * <p>{@code DROP TABLE} takes ACCESS EXCLUSIVE on the table and, to remove the foreign-key
 * triggers it has there, on every table its foreign keys reference (checked on 12 and 18); it
 * runs under {@code lock_timeout}, retried. It cannot be undone.
 *
 * <p>With {@code renameFirst}, the expand phase renames the table to {@code <table>_zd_dropped}
 * (milliseconds of ACCESS EXCLUSIVE on the table only): anything that still uses it fails loudly,
 * and the down script renames it back at once, with every row. Only the contract phase, after the
 * rollback period, drops it.
 */
final class PostgresDropTable implements PgCompiler<DropTable> {

    static final String SUFFIX = "_zd_dropped";

    @Override
    public List<String> problems(DropTable op, PgContext ctx) {
        List<String> problems = new ArrayList<>();
        if (op.renameFirst()) {
            String aside = asideName(op);
            if (PgTables.relationNames(ctx.schema()).contains(aside)) {
                problems.add("renameFirst renames \"" + op.table() + "\" to \"" + aside + "\", but a relation of that name exists "
                        + "(left by an earlier drop?); drop or rename it first");
            }
        }
        return problems;
    }

    static String asideName(DropTable op) {
        return PgTables.outOfTheWayName(op.table().value(), SUFFIX);
    }

    @Override
    public CompiledOperation compile(DropTable op, PgContext ctx) {
        Table table = ctx.schema().requireTable(op.table());
        String slug = "drop_" + PgContext.slug(op.table().value());
        TableName dropped = op.renameFirst() ? TableName.of(asideName(op)) : op.table();
        List<String> parents = PgTables.referencedTables(table);

        CompiledOperation.Builder out = CompiledOperation.builder(op, strategy(op, dropped, parents));
        if (op.renameFirst()) {
            Step renameBack = Step.builder(ctx.stepId(op, slug, "undo_rename"), Phase.EXPAND, Step.Kind.SCHEMA)
                    .summary("Rename " + dropped + " back to " + op.table())
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(PgTables.renameIfNeeded(dropped, op.table()))))
                    .lock(new LockClaim(dropped.value(), PgLock.ACCESS_EXCLUSIVE, TableWork.NONE, LockDuration.instant()))
                    .estimate(Duration.ofMillis(50))
                    .effect(new SchemaChange.RenameTable(dropped, op.table()))
                    .ifInterrupted("Nothing is changed: the step is one transaction. Run it again.")
                    .build();
            out.step(Step.builder(ctx.stepId(op, slug, "rename"), Phase.EXPAND, Step.Kind.SCHEMA)
                    .summary("Rename " + op.table() + " out of the way to " + dropped + " (undoable; dropped in the contract phase)")
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(PgTables.renameIfNeeded(op.table(), dropped))))
                    .lock(new LockClaim(op.table().value(), PgLock.ACCESS_EXCLUSIVE, TableWork.NONE, LockDuration.instant()))
                    .estimate(Duration.ofMillis(50))
                    .effect(new SchemaChange.RenameTable(op.table(), dropped))
                    .inverse(Inverse.steps(renameBack))
                    .ifInterrupted("Nothing is changed: the rename is one transaction, retried on lock timeout. Run the script "
                            + "again: a rename already done is skipped.")
                    .build());
        }
        Step.Builder drop = Step.builder(ctx.stepId(op, slug, "drop"), Phase.CONTRACT, Step.Kind.SCHEMA)
                .summary("Drop the table " + dropped + (parents.isEmpty() ? "" : " (also locks " + String.join(", ", parents)
                        + ", whose foreign-key triggers it removes)"))
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of("DROP TABLE IF EXISTS " + PgSql.quote(dropped))))
                .lock(new LockClaim(dropped.value(), PgLock.ACCESS_EXCLUSIVE, TableWork.NONE, LockDuration.instant()))
                .estimate(Duration.ofMillis(50))
                .effect(new SchemaChange.DropTable(dropped))
                .inverse(Inverse.irreversible("the table " + op.table() + " and all its rows are gone (DROP TABLE cannot be undone); "
                        + "only a backup or a point-in-time recovery brings them back. Take one before running the contract script "
                        + "if the data may be needed."))
                .ifInterrupted("Nothing is changed: the step is one transaction. Run it again; a table already dropped is skipped.");
        for (String parent : parents) {
            drop.lock(new LockClaim(parent, PgLock.ACCESS_EXCLUSIVE, TableWork.NONE, LockDuration.instant()));
        }
        out.step(drop.build());

        preChecks(op).forEach(out::preCheck);
        out.verify(op.renameFirst()
                ? new Check("The table " + op.table() + " is renamed out of the way to " + dropped + ".",
                "SELECT count(*) FROM pg_class WHERE oid = " + PgSql.toRegclass(dropped) + " AND relkind IN ('r', 'p')\n"
                        + "  AND " + PgSql.toRegclass(op.table()) + " IS NULL",
                Expectation.count(1), "run the up script again.")
                : new Check("The table " + op.table() + " is still in place (it is dropped by the contract script).",
                "SELECT count(*) FROM pg_class WHERE oid = " + PgSql.toRegclass(op.table()) + " AND relkind IN ('r', 'p')",
                Expectation.count(1), "the table is already gone: nothing to do, or someone dropped it by hand."));
        out.monitor(Monitor.query("Is " + op.table() + " still used? (scans and writes since the statistics were reset)",
                "SELECT relname, seq_scan, coalesce(idx_scan, 0) AS idx_scan, n_tup_ins, n_tup_upd, n_tup_del\n"
                        + "FROM pg_stat_user_tables WHERE relid IN (" + PgSql.toRegclass(op.table()) + ", " + PgSql.toRegclass(dropped) + ")",
                "any of these numbers growing between two looks, once the application has stopped using the table: something "
                        + "still reads or writes it. Find it before the contract phase."));
        hazards(op, dropped, parents).forEach(out::hazard);
        appChanges(op, dropped).forEach(out::appChange);
        out.note(op.renameFirst()
                ? "The table is renamed to " + dropped + " in the expand phase; its indexes, constraints and sequences keep their "
                + "names until the contract phase drops them with it (a new table named " + op.table() + " would need other names "
                + "for them meanwhile)."
                : "Without renameFirst nothing happens before the contract phase, and DROP TABLE cannot be undone: once the contract "
                + "script has run, the rows are gone. renameFirst() gives a rollback period in which the table is only renamed.");
        return out.build();
    }

    private static Strategy strategy(DropTable op, TableName dropped, List<String> parents) {
        List<String> reasons = new ArrayList<>();
        String locks = "DROP TABLE takes ACCESS EXCLUSIVE on " + op.table() + (parents.isEmpty() ? "" : " and on "
                + String.join(", ", parents) + " (its foreign keys' triggers live there)") + " for milliseconds, under lock_timeout.";
        if (op.renameFirst()) {
            reasons.add("Drop " + op.table() + ": renamed to " + dropped + " first, an instant and undoable change that makes any "
                    + "remaining use fail loudly while the down script can still bring the table back whole; dropped in the "
                    + "contract phase, after the rollback period. " + locks);
            return new Strategy(List.of(Technique.EXPAND_CONTRACT), reasons);
        }
        reasons.add("Drop " + op.table() + ": in the contract phase, once no deployed code uses it. " + locks
                + " It cannot be undone: use renameFirst() for a rollback period.");
        return new Strategy(List.of(Technique.DIRECT), reasons);
    }

    private static List<Check> preChecks(DropTable op) {
        String table = PgSql.toRegclass(op.table());
        return List.of(
                new Check("No view depends on " + op.table() + " (DROP TABLE would refuse; a rename would leave the view reading the "
                        + "renamed table unnoticed).",
                        "SELECT count(DISTINCT r.ev_class) FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid\n"
                                + "WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = " + table + " AND r.ev_class <> " + table,
                        Expectation.count(0), "drop or change those views first (list them with the same query, selecting "
                        + "r.ev_class::regclass)."),
                new Check("No foreign key of another table references " + op.table() + ".",
                        "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = " + table + " AND conrelid <> confrelid",
                        Expectation.count(0), "the schema given to zerodown is out of date: drop those foreign keys first, then "
                        + "compile again from the live schema."));
    }

    private static List<Hazard> hazards(DropTable op, TableName dropped, List<String> parents) {
        List<Hazard> hazards = new ArrayList<>();
        hazards.add(new Hazard(op.renameFirst() ? RiskLevel.LOW : RiskLevel.MEDIUM, "The rows are lost for good",
                "The contract script drops " + dropped + " with all its rows; nothing in the package can bring them back.",
                op.renameFirst() ? "Until the contract phase the table only has another name, and the down script restores it. "
                        + "Take a backup of it (pg_dump -t) before the contract phase if the data may be needed."
                        : "Take a backup of the table (pg_dump -t) before the contract script, or use renameFirst() to keep it "
                        + "for a rollback period."));
        if (!parents.isEmpty()) {
            hazards.add(new Hazard(RiskLevel.LOW, "Dropping also locks the referenced tables",
                    "DROP TABLE takes ACCESS EXCLUSIVE on " + String.join(", ", parents) + " too, for milliseconds: while it waits "
                            + "for their locks, every query on them queues behind it.",
                    "lock_timeout caps each wait; the step is retried with backoff. Run it at a quiet time."));
        }
        if (op.renameFirst()) {
            hazards.add(new Hazard(RiskLevel.LOW, "The rename breaks whatever still uses the table",
                    "From the rename on, queries that name " + op.table() + " fail with \"relation does not exist\" (database "
                            + "functions included); views that read it keep reading " + dropped + ".",
                    "That is the point: it shows what still depends on the table while the down script can still undo it in "
                            + "milliseconds. Watch the application's errors after the up script."));
        }
        return hazards;
    }

    private static List<AppChange> appChanges(DropTable op, TableName dropped) {
        List<AppChange> changes = new ArrayList<>();
        if (op.renameFirst()) {
            changes.add(AppChange.before(Phase.EXPAND, "Remove every use of " + op.table() + " (reads, writes, ORM mappings, reports, "
                            + "jobs) and deploy it everywhere.",
                    "Code that still uses " + op.table() + " fails once it is renamed; the down script renames it back if that "
                            + "happens."));
        } else {
            changes.add(AppChange.before(Phase.CONTRACT, "Remove every use of " + op.table() + " (reads, writes, ORM mappings, "
                            + "reports, jobs) and make sure no old instance still runs.",
                    "Code that uses " + op.table() + " keeps working until the contract script drops it, and fails after."));
        }
        return changes;
    }
}
