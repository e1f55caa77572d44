package io.zerodown.postgres;

import io.zerodown.model.ColumnName;
import io.zerodown.model.SqlType;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.Durations;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.operation.MergeColumns;
import io.zerodown.model.operation.SplitColumn;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Table;
import io.zerodown.plan.AbortCriterion;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Check;
import io.zerodown.plan.Execution;
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
import io.zerodown.postgres.schema.PostgresConventions;
import io.zerodown.schema.SchemaConventions;
import io.zerodown.spi.CompiledOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Merges columns on PostgreSQL: the reverse of {@link PostgresSplitColumn}, built the same way.
 *
 * <p>Online (no downtime, or a window too short for the direct statements):
 * <ol>
 *   <li>expand: add the new column and a sync trigger in one short transaction (ACCESS EXCLUSIVE
 *       for milliseconds, under {@code lock_timeout}, retried);</li>
 *   <li>backfill: a no-op write of the first source column, in committed keyset batches, makes the
 *       trigger fill the new column of rows written before the trigger existed;</li>
 *   <li>contract (after the rollback period): drop the trigger, its function and the sources.</li>
 * </ol>
 * Direct (development database, or a maintenance window the statements fit in): the same, with a
 * single UPDATE instead of batches. The merge is defined once, in the trigger function.
 *
 * <p>The trigger is two-way when there are exactly two sources and the separator is not empty
 * (new code's writes of the merged column are split back into the sources, at the first
 * separator, exactly as {@link PostgresSplitColumn} splits); otherwise it is one-way.
 *
 * <p>Defaults on the sources are filled in by PostgreSQL before the trigger runs: with the two-way
 * sync, an INSERT that writes the merged column while every source is NULL or equal to its
 * (non-volatile) default is new code's, and the sources are split from it. A volatile default
 * cannot be compared and is stated as a hazard. See {@link PgSyncTrigger}.
 */
final class PostgresMergeColumns implements PgCompiler<MergeColumns> {

    private static final Set<String> TEXT_TYPES = Set.of("text", "character varying", "character", "citext");

    @Override
    public List<String> problems(MergeColumns op, PgContext ctx) {
        List<String> problems = new ArrayList<>();
        Table table = ctx.schema().requireTable(op.table());
        if (op.dropSources()) {
            for (ColumnName name : op.sources()) {
                problems.addAll(PostgresDropColumn.dependents(ctx.schema(), table, name, "column \"" + name + "\" of table \""
                        + op.table() + "\", which the contract phase drops,", "or keep the sources (keepSources())"));
            }
        }
        for (ColumnName name : op.sources()) {
            Column source = table.column(name).orElseThrow();
            if (!isText(source.type())) {
                problems.add("column \"" + name + "\" is " + source.type().sql() + "; only text columns (text, character varying, "
                        + "character) can be merged");
            }
        }
        if (table.primaryKey().isEmpty()) {
            problems.add("table \"" + op.table() + "\" has no primary key; the batched backfill walks the primary key. "
                    + "Add one first (a unique index built concurrently, then ADD PRIMARY KEY USING INDEX)");
        }
        try {
            SchemaConventions.ColumnType type = new PostgresConventions().columnType(op.type().orElse(SqlType.of("text")));
            if (type.serial() || !isText(type.type())) {
                problems.add("the merged column must have a text type; got " + op.type().orElseThrow().sql());
            }
        } catch (IllegalArgumentException e) {
            problems.add("the merged column's type: " + e.getMessage());
        }
        String trigger = syncName(op);
        PgNames.taken(ctx.schema(), table, trigger, "merge").ifPresent(problems::add);
        if (PgNames.tooLong(op.target().value())) {
            problems.add("column name \"" + op.target() + "\" is longer than 63 bytes; PostgreSQL would silently cut it");
        }
        return problems;
    }

    private static boolean isText(SqlType type) {
        return TEXT_TYPES.contains(type.name()) && type.arrayDimensions() == 0;
    }

    /** The merged column as the catalog shows it (its type in PostgreSQL's spelling). */
    static Column targetColumn(MergeColumns op) {
        return Column.of(op.target().value(), new PostgresConventions().columnType(op.type().orElse(SqlType.of("text"))).type());
    }

    /** Whether the trigger also splits writes of the merged column back into the sources. */
    static boolean twoWay(MergeColumns op) {
        return op.sources().size() == 2 && !op.separator().isEmpty();
    }

    @Override
    public CompiledOperation compile(MergeColumns op, PgContext ctx) {
        Table table = ctx.schema().requireTable(op.table());
        TableProfile profile = ctx.profile(op.table());
        Column target = targetColumn(op);
        PgSyncTrigger sync = syncTrigger(op, table);
        String slug = "merge_into_" + PgContext.slug(op.target().value());
        ColumnName touched = op.sources().get(0);

        Duration fullUpdate = PostgresFacts.forRows(profile.approximateRows(), PostgresFacts.FULL_UPDATE_ROWS_PER_SECOND);
        PgContext.Approach approach = ctx.choose("one UPDATE of every row", "every write to existing rows of " + op.table(), fullUpdate);

        List<String> expandSql = new ArrayList<>();
        expandSql.add("ALTER TABLE " + PgSql.quote(op.table()) + " ADD COLUMN IF NOT EXISTS " + PgSql.quote(target.name()) + " "
                + target.type().sql());
        expandSql.add(sync.createFunction());
        expandSql.add(sync.createTriggerIfMissing());

        List<String> dropSql = new ArrayList<>(sync.drop());
        dropSql.add("ALTER TABLE " + PgSql.quote(op.table()) + " DROP COLUMN IF EXISTS " + PgSql.quote(target.name()));
        List<SchemaChange> dropEffects = new ArrayList<>(sync.dropEffects());
        dropEffects.add(new SchemaChange.DropColumn(op.table(), target.name()));

        Step undoExpand = Step.builder(ctx.stepId(op, slug, "undo_expand"), Phase.EXPAND, Step.Kind.SCHEMA)
                .summary("Drop the sync trigger and the column " + target.name())
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), dropSql))
                .lock(instant(op, PgLock.ACCESS_EXCLUSIVE))
                .estimate(Duration.ofMillis(50))
                .effects(dropEffects)
                .ifInterrupted("Nothing is changed: the step is one transaction. Run it again.")
                .build();

        List<SchemaChange> expandEffects = new ArrayList<>();
        expandEffects.add(new SchemaChange.AddColumn(op.table(), target));
        expandEffects.addAll(sync.createEffects());
        Step expand = Step.builder(ctx.stepId(op, slug, "expand"), Phase.EXPAND, Step.Kind.SCHEMA)
                .summary("Add " + target.name() + " and the sync trigger on " + op.table())
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), expandSql))
                .lock(instant(op, PgLock.ACCESS_EXCLUSIVE))
                .estimate(Duration.ofMillis(50))
                .effects(expandEffects)
                .inverse(twoWay(op) ? Inverse.steps(undoExpand)
                        : Inverse.lossy("values new code wrote into " + target.name() + " alone are lost: with "
                        + (op.sources().size() == 2 ? "an empty separator" : op.sources().size() + " sources")
                        + " the sync is one-way, so they were never copied into " + sourceList(op) + ".", undoExpand))
                .ifInterrupted("Nothing is changed: the column and the trigger are added in one transaction, retried on lock "
                        + "timeout. Run the script again.")
                .build();

        String rowNeedsFill = PgKeysetBackfill.ROW + "." + PgSql.quote(target.name()) + " IS NULL AND (" + anyPart(op, PgKeysetBackfill.ROW + ".") + ")";
        String touch = PgSql.quote(touched) + " = " + PgKeysetBackfill.ROW + "." + PgSql.quote(touched);
        PgKeysetBackfill backfill = new PgKeysetBackfill(ctx.migration().name(), ctx.stepId(op, slug, "backfill"), op.table(),
                keyColumns(table), touch, rowNeedsFill, op.batching(), ctx.lockPolicy());

        Step backfillStep;
        long rows = profile.approximateRows();
        if (approach.direct()) {
            backfillStep = Step.builder(ctx.stepId(op, slug, "backfill"), Phase.BACKFILL, Step.Kind.DATA)
                    .summary("Fill " + target.name() + " in one UPDATE")
                    .statement("UPDATE " + PgSql.quote(op.table()) + " SET " + PgSql.quote(touched) + " = " + PgSql.quote(touched)
                            + " WHERE " + PgSql.quote(target.name()) + " IS NULL AND (" + anyPart(op, "") + ")")
                    .lock(new LockClaim(op.table().value(), PgLock.ROW_EXCLUSIVE, TableWork.FULL_UPDATE,
                            new LockDuration.ProportionalToRows(rows, fullUpdate)))
                    .estimate(fullUpdate)
                    .ifInterrupted("Nothing is changed: the UPDATE is one transaction and rolls back whole. Run the script again.")
                    .build();
        } else {
            Duration perBatch = PostgresFacts.forRows(op.batching().size(), PostgresFacts.BACKFILL_ROWS_PER_SECOND);
            long batches = Math.max(1, (rows + op.batching().size() - 1) / op.batching().size());
            Duration total = PostgresFacts.forRows(rows, PostgresFacts.BACKFILL_ROWS_PER_SECOND)
                    .plus(op.batching().pause().multipliedBy(batches));
            backfillStep = Step.builder(ctx.stepId(op, slug, "backfill"), Phase.BACKFILL, Step.Kind.BACKFILL)
                    .summary("Backfill " + target.name() + " in batches of " + String.format("%,d", op.batching().size()))
                    .execution(Execution.OUTSIDE_TRANSACTION)
                    .statements(backfill.statements())
                    .lock(new LockClaim(op.table().value(), PgLock.ROW_EXCLUSIVE, TableWork.BATCH_UPDATE,
                            new LockDuration.PerBatch(op.batching().size(), perBatch)))
                    .estimate(total)
                    .inverse(Inverse.steps(Step.builder(ctx.stepId(op, slug, "undo_backfill"), Phase.BACKFILL, Step.Kind.SCHEMA)
                            .summary("Forget the backfill's progress, so that a new up script fills the column again")
                            .statement(backfill.forgetProgress())
                            .build()))
                    .ifInterrupted("Batches committed so far stay done; the rest of the rows are filled by the sync trigger when "
                            + "they are written, or by running the step again, which resumes after the last committed batch "
                            + "(see " + PgKeysetBackfill.PROGRESS_TABLE + ").")
                    .build();
        }

        CompiledOperation.Builder out = CompiledOperation.builder(op, strategy(op, ctx, approach, profile));
        out.step(expand).step(backfillStep).step(contract(op, ctx, sync, slug));

        verifications(op, target, sync, backfill, approach).forEach(out::verify);
        preChecks(op, ctx, target).forEach(out::preCheck);
        hazards(op, ctx, profile, approach).forEach(out::hazard);
        if (!approach.direct()) {
            out.monitor(Monitor.query("Backfill progress of " + op.table() + "." + target.name(), backfill.progressQuery(),
                    "rows_per_second falling, or updated_at no longer moving while the step runs (it is waiting on locks: see the lock query)"));
            out.abortWhen(new AbortCriterion("replication lag or application latency rises beyond your limit during the backfill",
                    "cancel the backfill (pg_cancel_backend on its pid); committed batches stay done. Re-run it later with a smaller "
                            + "batch (batched(…)): it resumes where it stopped"));
        }
        appChanges(op).forEach(out::appChange);
        notes(op, table).forEach(out::note);
        return out.build();
    }

    private static Step contract(MergeColumns op, PgContext ctx, PgSyncTrigger sync, String slug) {
        List<String> sql = new ArrayList<>(sync.drop());
        List<SchemaChange> effects = new ArrayList<>(sync.dropEffects());
        String summary = "Drop the sync trigger";
        String reason;
        if (op.dropSources()) {
            sql.add("ALTER TABLE " + PgSql.quote(op.table()) + " " + op.sources().stream()
                    .map(s -> "DROP COLUMN IF EXISTS " + PgSql.quote(s)).collect(Collectors.joining(", ")));
            op.sources().forEach(s -> effects.add(new SchemaChange.DropColumn(op.table(), s)));
            summary = "Drop the sync trigger and the columns " + sourceList(op);
            reason = "the columns " + sourceList(op) + " and their data are gone; splitting " + op.target() + " again would not give "
                    + "back their exact values (spacing, parts containing the separator, empty values). Keep a backup if you may "
                    + "need them.";
        } else {
            reason = sourceList(op) + " stay but are no longer kept in step with " + op.target() + "; recreating the trigger would "
                    + "not correct rows written in between.";
        }
        return Step.builder(ctx.stepId(op, slug, "contract"), Phase.CONTRACT, Step.Kind.SCHEMA)
                .summary(summary)
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), sql))
                .lock(instant(op, PgLock.ACCESS_EXCLUSIVE))
                .estimate(Duration.ofMillis(50))
                .effects(effects)
                .inverse(Inverse.irreversible(reason))
                .ifInterrupted("Nothing is changed: the step is one transaction. Run it again.")
                .build();
    }

    private static Strategy strategy(MergeColumns op, PgContext ctx, PgContext.Approach approach, TableProfile profile) {
        List<Technique> techniques = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        reasons.add("Merge " + op.table() + "." + sourceList(op) + " into " + op.target() + ": " + approach.reason());
        techniques.add(approach.direct() ? Technique.DIRECT : Technique.EXPAND_CONTRACT);
        if (approach.direct() && ctx.migration().downtime() instanceof DowntimeTolerance.MaintenanceWindow) {
            techniques.add(Technique.MAINTENANCE_WINDOW);
        }
        techniques.add(Technique.SYNC_TRIGGER);
        reasons.add(twoWay(op)
                ? "A sync trigger keeps " + sourceList(op) + " and " + op.target() + " consistent under concurrent writes, in both "
                + "directions, from the moment the new column exists: rows the old application writes after their batch ran are "
                + "never left stale, old and new code can run side by side, and rolling back loses nothing."
                : "A sync trigger fills " + op.target() + " from " + sourceList(op) + " under concurrent writes, from the moment the "
                + "new column exists, so rows old code writes after their batch ran are never left stale. It is one-way ("
                + (op.sources().size() == 2 ? "an empty separator cannot be split" : "a value cannot be split back into "
                + op.sources().size() + " columns") + "): new code must keep writing " + sourceList(op)
                + " while old code may read them.");
        if (!approach.direct()) {
            techniques.add(Technique.BATCHED_DML);
            reasons.add("Backfill in committed batches of " + String.format("%,d", op.batching().size())
                    + " rows walking the primary key: each batch locks only its own rows for about "
                    + Durations.human(PostgresFacts.forRows(op.batching().size(), PostgresFacts.BACKFILL_ROWS_PER_SECOND))
                    + ", never re-reads finished rows, and the job resumes where it stopped. One UPDATE of all "
                    + String.format("%,d", profile.approximateRows()) + " rows would instead hold every row lock until it "
                    + "ends, blocking every writer of those rows.");
        }
        if (op.dropSources()) {
            reasons.add(ctx.migration().rollback() instanceof RollbackRequirement.ReversibleFor r
                    ? sourceList(op) + " are kept, and kept current, for the " + Durations.human(r.period())
                    + " rollback period; the contract phase drops them afterwards."
                    : sourceList(op) + " are dropped in the contract phase once no deployed code uses them (no rollback period was "
                    + "asked for).");
        } else {
            reasons.add(sourceList(op) + " are kept (keepSources): the contract phase only removes the sync trigger.");
        }
        return new Strategy(techniques, reasons);
    }

    private static List<Check> verifications(MergeColumns op, Column target, PgSyncTrigger sync, PgKeysetBackfill backfill,
                                             PgContext.Approach approach) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("The new column exists with its type.",
                "SELECT count(*) FROM pg_attribute\nWHERE attrelid = " + PgSql.regclass(op.table()) + " AND NOT attisdropped\n"
                        + "  AND attname = " + PgSql.literal(target.name().value()) + " AND format_type(atttypid, atttypmod) = "
                        + PgSql.literal(target.type().sql()),
                Expectation.count(1), "the expand step did not run or failed; run the up script again."));
        checks.add(new Check("The sync trigger exists and is enabled.", sync.enabledCountQuery(), Expectation.count(1),
                "run the up script again; if the trigger exists but is disabled, enable it (ALTER TABLE … ENABLE TRIGGER) before "
                        + "any new code is deployed."));
        if (!approach.direct()) {
            checks.add(new Check("The backfill finished.", backfill.finishedQuery(), Expectation.count(1),
                    "run the up script again: the backfill resumes where it stopped."));
        }
        checks.add(new Check("No row with a non-blank " + sourceList(op) + " is left without " + op.target() + ".",
                "SELECT count(*) FROM " + PgSql.quote(op.table()) + "\nWHERE " + PgSql.quote(target.name()) + " IS NULL AND ("
                        + anyPart(op, "") + ")",
                Expectation.count(0), "the backfill is incomplete: run the up script again."));
        checks.add(new Check("Every row's " + op.target() + " equals the merge of " + sourceList(op)
                        + " (holds until new code writes " + op.target() + " directly with a value the merge would not produce, "
                        + "e.g. two separators in a row).",
                "SELECT count(*) FROM " + PgSql.quote(op.table()) + "\nWHERE " + PgSql.quote(target.name()) + " IS DISTINCT FROM "
                        + merged(op, ""),
                Expectation.count(0), "some rows were written in a way the sync trigger did not see (triggers disabled, "
                + "session_replication_role = replica): list them with the same query selecting the key, and fix them by "
                + "writing the sources again (UPDATE … SET " + op.sources().get(0) + " = " + op.sources().get(0) + " after clearing "
                + op.target() + ")."));
        return checks;
    }

    private static List<Check> preChecks(MergeColumns op, PgContext ctx, Column target) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("The new column name is free on " + op.table() + " (on a re-run after an interruption it exists: "
                        + "that is expected).",
                "SELECT count(*) FROM pg_attribute WHERE attrelid = " + PgSql.regclass(op.table()) + " AND NOT attisdropped\n"
                        + "  AND attname = " + PgSql.literal(target.name().value()),
                Expectation.count(0), "the schema given to zerodown is out of date: compile again from the live schema."));
        checks.add(PgSyncTrigger.noOtherTriggerNaming(op.table(), syncName(op), java.util.stream.Stream.concat(op.sources().stream(), java.util.stream.Stream.of(op.target())).toList(), "the sync trigger"));
        if (!target.type().modifiers().isEmpty()) {
            checks.add(new Check("Every existing merged value fits " + target.name() + " " + target.type().sql() + ".",
                    "SELECT count(*) FROM " + PgSql.quote(op.table()) + " WHERE length(" + merged(op, "") + ") > "
                            + target.type().modifiers().get(0),
                    Expectation.count(0), "widen the merged column (type(…)) or clean the data first: the backfill would fail on "
                    + "these rows, and so would the application's writes of them."));
        }
        return checks;
    }

    private static List<Hazard> hazards(MergeColumns op, PgContext ctx, TableProfile profile, PgContext.Approach approach) {
        List<Hazard> hazards = new ArrayList<>();
        Table table = ctx.schema().requireTable(op.table());
        if (!approach.direct() && profile.isLarge()) {
            hazards.add(new Hazard(RiskLevel.MEDIUM, "Backfill load on a large table",
                    "The backfill rewrites about " + String.format("%,d", profile.approximateRows()) + " rows: it writes WAL as fast "
                            + "as it runs (replication lag), leaves one dead row version per row for vacuum (table bloat until "
                            + "autovacuum catches up), and competes with the application for I/O.",
                    "Batches of " + String.format("%,d", op.batching().size()) + " committed one by one; watch replication lag and "
                            + "latency and cancel it if they exceed your limits: it resumes where it stopped."));
        }
        hazards.add(new Hazard(RiskLevel.LOW, "Sync trigger cost",
                "Every INSERT and UPDATE of " + op.table() + " runs a small PL/pgSQL function until the contract phase.",
                "It only trims and joins " + op.sources().size() + " values" + (twoWay(op) ? " (or splits one)" : "")
                        + "; the contract phase removes it."));
        hazards.add(PgSyncTrigger.unseenWrites(op.table(), "synced", "the verification queries find such rows"));
        if (!twoWay(op)) {
            hazards.add(new Hazard(RiskLevel.MEDIUM, "One-way sync: new code's writes of " + op.target() + " do not reach the sources",
                    "With " + (op.sources().size() == 2 ? "an empty separator" : op.sources().size() + " sources") + " a merged value "
                            + "cannot be split back: when new code writes " + op.target() + " alone, " + sourceList(op)
                            + " keep their old values, old code reads stale data, and the down script loses those writes.",
                    "Until the contract phase, new code writes " + sourceList(op) + " as well (the trigger then recomputes "
                            + op.target() + " from them), or writes " + op.target() + " only once no old code runs and no rollback "
                            + "is needed."));
        }
        List<String> notNull = op.sources().stream().filter(s -> !table.column(s).orElseThrow().nullable()).map(ColumnName::value).toList();
        if (!notNull.isEmpty()) {
            hazards.add(new Hazard(RiskLevel.MEDIUM, "NOT NULL sources",
                    String.join(", ", notNull) + (notNull.size() == 1 ? " is" : " are") + " NOT NULL: a row new code writes with "
                            + op.target() + " alone fails, because " + (twoWay(op) ? "splitting it back leaves the second part NULL "
                            + "when there is no separator (and both NULL for an empty value)" : "the sources stay NULL") + ".",
                    "Until the contract phase, new code writes " + sourceList(op) + " too; or drop NOT NULL first (dropNotNull)."));
        }
        List<Column> uncomparable = PgSyncTrigger.uncomparableDefaults(
                op.sources().stream().map(s -> table.column(s).orElseThrow()).toList());
        if (twoWay(op) && !uncomparable.isEmpty()) {
            hazards.add(new Hazard(RiskLevel.MEDIUM, "Volatile default on a source",
                    uncomparable.stream().map(c -> c.name() + " has the default " + c.defaultValue().map(d -> d.sql()).orElse("(identity)"))
                            .collect(Collectors.joining("; ")) + ", which is volatile (or not known to be "
                            + "otherwise): the sync trigger cannot tell the value PostgreSQL generated from a written one, so an "
                            + "INSERT by new code that writes " + op.target() + " and leaves the sources out keeps the generated "
                            + "value and is not split back, and old code reads stale parts.",
                    "Until the contract phase, new code writes " + sourceList(op) + " too, or drop the default first (dropDefault)."));
        }
        Column target = targetColumn(op);
        List<String> narrow = op.sources().stream().filter(s -> !table.column(s).orElseThrow().type().modifiers().isEmpty())
                .map(ColumnName::value).toList();
        if (twoWay(op) && !narrow.isEmpty()) {
            hazards.add(new Hazard(RiskLevel.LOW, "New code writing long values",
                    "While the trigger exists, a write of " + op.target() + " whose split part exceeds the length of "
                            + String.join(", ", narrow) + " fails with \"value too long\", because the sources are filled from it.",
                    "Validate the parts' lengths in the new code."));
        }
        if (!target.type().modifiers().isEmpty()) {
            hazards.add(new Hazard(RiskLevel.LOW, "Old code writing long values",
                    "While the trigger exists, a write of " + sourceList(op) + " whose merge exceeds " + target.type().sql()
                            + " fails with \"value too long\", because " + op.target() + " is filled from them.",
                    "Choose a type wide enough for every merge (type(…)); the pre-check verifies the existing rows."));
        }
        return hazards;
    }

    private static List<AppChange> appChanges(MergeColumns op) {
        List<AppChange> changes = new ArrayList<>();
        changes.add(AppChange.before(Phase.EXPAND, "Nothing: deploy no change before the up script.",
                "Old code keeps working: the new column is nullable, and the sync trigger fills it from " + sourceList(op) + "."));
        changes.add(AppChange.after(Phase.BUILD, "Deploy code that reads " + op.target() + (twoWay(op)
                        ? " and writes it instead of " + sourceList(op) + "; it may stop writing them, which the trigger fills."
                        : "; it must keep writing " + sourceList(op) + " (the trigger fills " + op.target() + " from them) until no "
                        + "old code reads them."),
                twoWay(op) ? "Old and new code can run side by side during a rolling deploy: the trigger syncs writes in both "
                        + "directions. Rolling the code back is safe until the contract phase."
                        : "Old and new code can run side by side as long as new code writes the sources; rolling back is safe until "
                        + "the contract phase."));
        if (op.dropSources()) {
            changes.add(AppChange.before(Phase.CONTRACT, "Remove every use of " + sourceList(op) + ": reads, writes, ORM mappings (mark "
                            + "the attributes ignored), raw SQL, reports; and make sure no old instance still runs.",
                    "After the contract phase, code that reads or writes " + sourceList(op) + " fails: the columns no longer exist."));
        }
        return changes;
    }

    private static List<String> notes(MergeColumns op, Table table) {
        String sep = "'" + op.separator() + "'";
        List<String> notes = new ArrayList<>();
        notes.add(op.table() + "." + op.target() + " is " + sourceList(op) + " joined with " + sep + " in that order: each value is "
                + "trimmed of surrounding spaces first, and NULL, empty and all-space values are left out (no doubled separator). "
                + "When every value is left out the result is NULL, never an empty string. ('John', 'Smith') gives 'John"
                + op.separator() + "Smith'; ('  John ', NULL) gives 'John'; (NULL, '') gives NULL.");
        if (twoWay(op)) {
            notes.add("When new code writes " + op.target() + ", the trigger splits it back: trimmed, cut at the first " + sep + ", "
                    + op.sources().get(0) + " gets the part before and " + op.sources().get(1) + " the part after, each trimmed, an "
                    + "empty part becoming NULL; a value without " + sep + " goes whole to " + op.sources().get(0) + " (and "
                    + op.sources().get(1) + " becomes NULL); NULL, empty and all-space values give NULL in both. A first part that "
                    + "itself contains " + sep + " is therefore split differently ('Mary Ann'" + "+'Evans' comes back as 'Mary' + "
                    + "'Ann Evans'), though merging the parts again gives the same value.");
        } else {
            notes.add("The sync is one-way: writes of " + op.target() + " by new code are kept as written and do not change "
                    + sourceList(op) + ".");
        }
        List<Column> sources = op.sources().stream().map(s -> table.column(s).orElseThrow()).toList();
        if (twoWay(op) && !PgSyncTrigger.comparableDefaults(sources).isEmpty()) {
            notes.add(sources.stream().filter(c -> c.defaultValue().isPresent() && c.generation().isEmpty())
                    .map(c -> c.name() + " has the default " + c.defaultValue().orElseThrow().sql())
                    .collect(Collectors.joining(", ")) + ", which PostgreSQL fills in before the trigger runs: an "
                    + "INSERT that writes " + op.target() + " while every source is NULL or equal to its default counts as new "
                    + "code's, and the sources are split from " + op.target() + ". An INSERT that writes a source with any other "
                    + "value and " + op.target() + " keeps them as written.");
        }
        notes.add("The backfill records its progress in " + PgKeysetBackfill.PROGRESS_TABLE
                + " (created if missing, in a schema of its own); the down script clears its row.");
        return notes;
    }

    /** The merge, defined once: PL/pgSQL run by the trigger for both the application's writes and the backfill. */
    static PgSyncTrigger syncTrigger(MergeColumns op, Table table) {
        String forward = "NEW." + PgSql.quote(op.target()) + " := " + merged(op, "NEW.") + ";";
        Optional<String> backward = Optional.empty();
        String declarations = "";
        if (twoWay(op)) {
            SplitColumn split = asSplit(op);
            String value = "zd_value";
            String cut = "zd_cut";
            backward = Optional.of(value + " := btrim(NEW." + PgSql.quote(op.target()) + ");\n"
                    + cut + " := " + PostgresSplitColumn.position(value, split) + ";\n"
                    + "NEW." + PgSql.quote(op.sources().get(0)) + " := " + PostgresSplitColumn.firstPart(value, cut, split) + ";\n"
                    + "NEW." + PgSql.quote(op.sources().get(1)) + " := " + PostgresSplitColumn.secondPart(value, cut, split) + ";");
            declarations = "zd_value text;\nzd_cut integer;";
        }
        return new PgSyncTrigger(op.table(), syncName(op), op.sources(), List.of(op.target()), declarations, forward, backward,
                PgSyncTrigger.comparableDefaults(op.sources().stream().map(s -> table.column(s).orElseThrow()).toList()));
    }

    /** The split the two-way trigger applies to writes of the merged column: at the first separator. */
    private static SplitColumn asSplit(MergeColumns op) {
        return new SplitColumn(op.table(), op.target(), op.separator(), SplitColumn.SplitAt.FIRST, op.sources().get(0),
                op.sources().get(1), Optional.empty(), Optional.empty(), op.batching(), false);
    }

    static String syncName(MergeColumns op) {
        return PgNames.derived("zd_merge", op.table().value(), op.target().value());
    }

    /** The merged value of the row's sources, each read as {@code prefix"column"}. */
    static String merged(MergeColumns op, String prefix) {
        return "NULLIF(concat_ws(" + PgSql.literal(op.separator()) + ", " + op.sources().stream()
                .map(s -> "NULLIF(btrim(" + prefix + PgSql.quote(s) + "), '')").collect(Collectors.joining(", ")) + "), '')";
    }

    /** True when at least one source has a non-blank value, i.e. the merge is not NULL. */
    private static String anyPart(MergeColumns op, String prefix) {
        return op.sources().stream().map(s -> "btrim(" + prefix + PgSql.quote(s) + ") <> ''").collect(Collectors.joining(" OR "));
    }

    private static String sourceList(MergeColumns op) {
        return op.sources().stream().map(ColumnName::value).collect(Collectors.joining(", "));
    }

    private static List<Column> keyColumns(Table table) {
        return table.primaryKey().orElseThrow().columns().stream()
                .map(c -> table.column(c).orElseThrow())
                .toList();
    }

    private static LockClaim instant(MergeColumns op, PgLock mode) {
        return new LockClaim(op.table().value(), mode, TableWork.NONE, LockDuration.instant());
    }
}
