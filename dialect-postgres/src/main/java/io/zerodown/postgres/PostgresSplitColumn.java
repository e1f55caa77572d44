package io.zerodown.postgres;

import io.zerodown.model.ColumnName;
import io.zerodown.model.SqlType;
import io.zerodown.model.context.Durations;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.operation.SplitColumn;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Schema;
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
import io.zerodown.spi.CompiledOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Splits a column on PostgreSQL: up, down, verification and risk side by side.
 *
 * <p>Online (no downtime, or a window too short for the direct statements):
 * <ol>
 *   <li>expand: add the new columns and a sync trigger in one short transaction (ACCESS EXCLUSIVE
 *       for milliseconds, under {@code lock_timeout}, retried);</li>
 *   <li>backfill: a no-op write of the source column, in committed keyset batches, makes the
 *       trigger fill the new columns of rows written before the trigger existed;</li>
 *   <li>contract (after the rollback period): drop the trigger, its function and the source column.</li>
 * </ol>
 * Direct (development database, or a maintenance window the statements fit in): the same, with a
 * single UPDATE instead of batches. Either way, the split itself is defined once, in the trigger
 * function, so every row is split the same way whoever writes it.
 *
 * <p>A default on the source column is filled in by PostgreSQL before the trigger runs: an INSERT
 * that writes the parts while the source is NULL or equal to its (non-volatile) default is new
 * code's, and the source is joined from the parts. A volatile default cannot be compared and is
 * stated as a hazard (new code must write the source too). See {@link PgSyncTrigger}.
 */
final class PostgresSplitColumn implements PgCompiler<SplitColumn> {

    private static final Set<String> TEXT_TYPES = Set.of("text", "character varying", "character", "citext");

    @Override
    public List<String> problems(SplitColumn op, PgContext ctx) {
        List<String> problems = new ArrayList<>();
        Table table = ctx.schema().requireTable(op.table());
        Column source = op.sourceColumn(ctx.schema());
        if (op.dropSource()) {
            problems.addAll(PostgresDropColumn.dependents(ctx.schema(), table, op.source(), "column \"" + op.source() + "\" of table \""
                    + op.table() + "\", which the contract phase drops,", "or keep it (keepSource())"));
        }
        if (!TEXT_TYPES.contains(source.type().name()) || source.type().arrayDimensions() > 0) {
            problems.add("column \"" + op.source() + "\" is " + source.type().sql()
                    + "; only text columns (text, character varying, character) can be split");
        }
        if (table.primaryKey().isEmpty()) {
            problems.add("table \"" + op.table() + "\" has no primary key; the batched backfill walks the primary key. "
                    + "Add one first (a unique index built concurrently, then ADD PRIMARY KEY USING INDEX)");
        }
        for (SqlType type : List.of(op.firstType(ctx.schema()), op.secondType(ctx.schema()))) {
            if (!TEXT_TYPES.contains(type.name()) || type.arrayDimensions() > 0) {
                problems.add("the new columns must have a text type; got " + type.sql());
            }
        }
        String trigger = syncName(op);
        PgNames.taken(ctx.schema(), table, trigger, "split").ifPresent(problems::add);
        for (ColumnName name : List.of(op.first(), op.second())) {
            if (PgNames.tooLong(name.value())) {
                problems.add("column name \"" + name + "\" is longer than 63 bytes; PostgreSQL would silently cut it");
            }
        }
        return problems;
    }

    @Override
    public CompiledOperation compile(SplitColumn op, PgContext ctx) {
        Table table = ctx.schema().requireTable(op.table());
        TableProfile profile = ctx.profile(op.table());
        Column first = op.firstColumn(ctx.schema());
        Column second = op.secondColumn(ctx.schema());
        PgSyncTrigger sync = syncTrigger(op, ctx.schema());
        String slug = "split_" + PgContext.slug(op.source().value());

        Duration fullUpdate = PostgresFacts.forRows(profile.approximateRows(), PostgresFacts.FULL_UPDATE_ROWS_PER_SECOND);
        PgContext.Approach approach = ctx.choose("one UPDATE of every row", "every write to existing rows of " + op.table(), fullUpdate);

        List<String> expandSql = new ArrayList<>();
        expandSql.add("ALTER TABLE " + PgSql.quote(op.table()) + " ADD COLUMN IF NOT EXISTS " + PgSql.quote(first.name()) + " "
                + first.type().sql() + ", ADD COLUMN IF NOT EXISTS " + PgSql.quote(second.name()) + " " + second.type().sql());
        expandSql.add(sync.createFunction());
        expandSql.add(sync.createTriggerIfMissing());

        List<String> dropSql = new ArrayList<>(sync.drop());
        dropSql.add("ALTER TABLE " + PgSql.quote(op.table()) + " DROP COLUMN IF EXISTS " + PgSql.quote(first.name())
                + ", DROP COLUMN IF EXISTS " + PgSql.quote(second.name()));
        List<SchemaChange> dropEffects = new ArrayList<>(sync.dropEffects());
        dropEffects.add(new SchemaChange.DropColumn(op.table(), first.name()));
        dropEffects.add(new SchemaChange.DropColumn(op.table(), second.name()));

        Step undoExpand = Step.builder(ctx.stepId(op, slug, "undo_expand"), Phase.EXPAND, Step.Kind.SCHEMA)
                .summary("Drop the sync trigger and the columns " + first.name() + ", " + second.name())
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), dropSql))
                .lock(instant(op, PgLock.ACCESS_EXCLUSIVE))
                .effects(dropEffects)
                .ifInterrupted("Nothing is changed: the step is one transaction. Run it again.")
                .build();

        List<SchemaChange> expandEffects = new ArrayList<>();
        expandEffects.add(new SchemaChange.AddColumn(op.table(), first));
        expandEffects.add(new SchemaChange.AddColumn(op.table(), second));
        expandEffects.addAll(sync.createEffects());
        Step expand = Step.builder(ctx.stepId(op, slug, "expand"), Phase.EXPAND, Step.Kind.SCHEMA)
                .summary("Add " + first.name() + ", " + second.name() + " and the sync trigger on " + op.table())
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), expandSql))
                .lock(instant(op, PgLock.ACCESS_EXCLUSIVE))
                .estimate(Duration.ofMillis(50))
                .effects(expandEffects)
                .inverse(Inverse.steps(undoExpand))
                .ifInterrupted("Nothing is changed: columns and trigger are added in one transaction, retried on lock timeout. "
                        + "Run the script again.")
                .build();

        String rowNeedsFill = PgKeysetBackfill.ROW + "." + PgSql.quote(first.name()) + " IS NULL AND " + PgKeysetBackfill.ROW + "."
                + PgSql.quote(second.name()) + " IS NULL AND " + PgKeysetBackfill.ROW + "." + PgSql.quote(op.source()) + " IS NOT NULL";
        String touch = PgSql.quote(op.source()) + " = " + PgKeysetBackfill.ROW + "." + PgSql.quote(op.source());
        List<Column> key = keyColumns(table);
        PgKeysetBackfill backfill = new PgKeysetBackfill(ctx.migration().name(), ctx.stepId(op, slug, "backfill"), op.table(), key,
                touch, rowNeedsFill, op.batching(), ctx.lockPolicy());

        Step backfillStep;
        long rows = profile.approximateRows();
        if (approach.direct()) {
            String needsFill = PgSql.quote(first.name()) + " IS NULL AND " + PgSql.quote(second.name()) + " IS NULL AND "
                    + PgSql.quote(op.source()) + " IS NOT NULL";
            backfillStep = Step.builder(ctx.stepId(op, slug, "backfill"), Phase.BACKFILL, Step.Kind.DATA)
                    .summary("Fill " + first.name() + ", " + second.name() + " in one UPDATE")
                    .statement("UPDATE " + PgSql.quote(op.table()) + " SET " + PgSql.quote(op.source()) + " = " + PgSql.quote(op.source())
                            + " WHERE " + needsFill)
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
                    .summary("Backfill " + first.name() + ", " + second.name() + " in batches of " + String.format("%,d", op.batching().size()))
                    .execution(Execution.OUTSIDE_TRANSACTION)
                    .statements(backfill.statements())
                    .lock(new LockClaim(op.table().value(), PgLock.ROW_EXCLUSIVE, TableWork.BATCH_UPDATE,
                            new LockDuration.PerBatch(op.batching().size(), perBatch)))
                    .estimate(total)
                    .inverse(Inverse.steps(Step.builder(ctx.stepId(op, slug, "undo_backfill"), Phase.BACKFILL, Step.Kind.SCHEMA)
                            .summary("Forget the backfill's progress, so that a new up script fills the columns again")
                            .statement(backfill.forgetProgress())
                            .build()))
                    .ifInterrupted("Batches committed so far stay done; the rest of the rows are filled by the sync trigger when "
                            + "they are written, or by running the step again, which resumes after the last committed batch "
                            + "(see " + PgKeysetBackfill.PROGRESS_TABLE + ").")
                    .build();
        }

        CompiledOperation.Builder out = CompiledOperation.builder(op, strategy(op, ctx, approach, profile));
        out.step(expand).step(backfillStep);
        contract(op, ctx, sync, slug).ifPresent(out::step);

        verifications(op, ctx, sync, backfill, approach).forEach(out::verify);
        preChecks(op, ctx).forEach(out::preCheck);
        hazards(op, ctx, profile, approach).forEach(out::hazard);
        if (!approach.direct()) {
            out.monitor(Monitor.query("Backfill progress of " + op.table() + "." + op.source(), backfill.progressQuery(),
                    "rows_per_second falling, or updated_at no longer moving while the step runs (it is waiting on locks: see the lock query)"));
            out.abortWhen(new AbortCriterion("replication lag or application latency rises beyond your limit during the backfill",
                    "cancel the backfill (pg_cancel_backend on its pid); committed batches stay done. Re-run it later with a smaller "
                            + "batch or a pause (batched(…), pausing(…)): it resumes where it stopped"));
        }
        appChanges(op, ctx).forEach(out::appChange);
        notes(op, ctx).forEach(out::note);
        return out.build();
    }

    private static Optional<Step> contract(SplitColumn op, PgContext ctx, PgSyncTrigger sync, String slug) {
        List<String> sql = new ArrayList<>(sync.drop());
        List<SchemaChange> effects = new ArrayList<>(sync.dropEffects());
        String summary = "Drop the sync trigger";
        String reason;
        if (op.dropSource()) {
            sql.add("ALTER TABLE " + PgSql.quote(op.table()) + " DROP COLUMN IF EXISTS " + PgSql.quote(op.source()));
            effects.add(new SchemaChange.DropColumn(op.table(), op.source()));
            summary = "Drop the sync trigger and the column " + op.source();
            reason = "the column " + op.source() + " and its data are gone; restoring it from " + op.first() + " and " + op.second()
                    + " would join them with one '" + op.separator() + "' and lose the original spacing. Keep a backup if you may need it.";
        } else {
            reason = op.source() + " stays but is no longer kept in step with " + op.first() + " and " + op.second()
                    + "; recreating the trigger would not correct rows written in between.";
        }
        return Optional.of(Step.builder(ctx.stepId(op, slug, "contract"), Phase.CONTRACT, Step.Kind.SCHEMA)
                .summary(summary)
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), sql))
                .lock(instant(op, PgLock.ACCESS_EXCLUSIVE))
                .estimate(Duration.ofMillis(50))
                .effects(effects)
                .inverse(Inverse.irreversible(reason))
                .ifInterrupted("Nothing is changed: the step is one transaction. Run it again.")
                .build());
    }

    private static Strategy strategy(SplitColumn op, PgContext ctx, PgContext.Approach approach, TableProfile profile) {
        List<Technique> techniques = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        reasons.add("Split " + op.table() + "." + op.source() + ": " + approach.reason());
        techniques.add(approach.direct() ? Technique.DIRECT : Technique.EXPAND_CONTRACT);
        if (approach.direct() && ctx.migration().downtime() instanceof io.zerodown.model.context.DowntimeTolerance.MaintenanceWindow) {
            techniques.add(Technique.MAINTENANCE_WINDOW);
        }
        techniques.add(Technique.SYNC_TRIGGER);
        reasons.add("A sync trigger keeps " + op.source() + " and " + op.first() + ", " + op.second()
                + " consistent under concurrent writes, in both directions, from the moment the new columns exist: rows the old "
                + "application writes after their batch ran are never left stale, old and new code can run side by side, and "
                + "rolling back loses nothing.");
        if (!approach.direct()) {
            techniques.add(Technique.BATCHED_DML);
            reasons.add("Backfill in committed batches of " + String.format("%,d", op.batching().size())
                    + " rows walking the primary key: each batch locks only its own rows for about "
                    + Durations.human(PostgresFacts.forRows(op.batching().size(), PostgresFacts.BACKFILL_ROWS_PER_SECOND))
                    + ", never re-reads finished rows, and the job resumes where it stopped. One UPDATE of all "
                    + String.format("%,d", profile.approximateRows()) + " rows would instead hold every row lock until it "
                    + "ends, blocking every writer of those rows.");
        }
        if (op.dropSource()) {
            reasons.add(ctx.migration().rollback() instanceof RollbackRequirement.ReversibleFor r
                    ? op.source() + " is kept, and kept current, for the " + Durations.human(r.period())
                    + " rollback period; the contract phase drops it afterwards."
                    : op.source() + " is dropped in the contract phase once no deployed code uses it (no rollback period was asked for).");
        } else {
            reasons.add(op.source() + " is kept (keepSource): the contract phase only removes the sync trigger.");
        }
        return new Strategy(techniques, reasons);
    }

    private static List<Check> verifications(SplitColumn op, PgContext ctx, PgSyncTrigger sync, PgKeysetBackfill backfill,
                                             PgContext.Approach approach) {
        List<Check> checks = new ArrayList<>();
        Column first = op.firstColumn(ctx.schema());
        Column second = op.secondColumn(ctx.schema());
        checks.add(new Check("The new columns exist with their types.",
                "SELECT count(*) FROM pg_attribute\nWHERE attrelid = " + PgSql.regclass(op.table()) + " AND NOT attisdropped\n  AND ("
                        + "(attname = " + PgSql.literal(first.name().value()) + " AND format_type(atttypid, atttypmod) = "
                        + PgSql.literal(first.type().sql()) + ")\n    OR (attname = " + PgSql.literal(second.name().value())
                        + " AND format_type(atttypid, atttypmod) = " + PgSql.literal(second.type().sql()) + "))",
                Expectation.count(2), "the expand step did not run or failed; run the up script again."));
        checks.add(new Check("The sync trigger exists and is enabled.", sync.enabledCountQuery(), Expectation.count(1),
                "run the up script again; if the trigger exists but is disabled, enable it (ALTER TABLE … ENABLE TRIGGER) before "
                        + "any new code is deployed."));
        if (!approach.direct()) {
            checks.add(new Check("The backfill finished.", backfill.finishedQuery(), Expectation.count(1),
                    "run the up script again: the backfill resumes where it stopped."));
        }
        checks.add(new Check("No row with a non-blank " + op.source() + " is left without its parts.",
                "SELECT count(*) FROM " + PgSql.quote(op.table()) + "\nWHERE " + PgSql.quote(first.name()) + " IS NULL AND "
                        + PgSql.quote(second.name()) + " IS NULL AND btrim(" + PgSql.quote(op.source()) + ") <> ''",
                Expectation.count(0), "the backfill is incomplete: run the up script again."));
        String value = "btrim(" + PgSql.quote(op.source()) + ")";
        checks.add(new Check("Every row's parts equal the split of " + op.source()
                        + " (holds until new code writes the new columns directly, e.g. a first name with a space in it).",
                "SELECT count(*) FROM " + PgSql.quote(op.table()) + "\nWHERE (" + PgSql.quote(first.name()) + ", "
                        + PgSql.quote(second.name()) + ")\n  IS DISTINCT FROM (" + firstPart(value, position(value, op), op) + ",\n      "
                        + secondPart(value, position(value, op), op) + ")",
                Expectation.count(0), "some rows were written in a way the sync trigger did not see (triggers disabled, "
                + "session_replication_role = replica): list them with the same query selecting the key, and fix them by "
                + "writing " + op.source() + " again (UPDATE … SET " + op.source() + " = " + op.source() + " after clearing the parts)."));
        return checks;
    }

    private static List<Check> preChecks(SplitColumn op, PgContext ctx) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("The new column names are free on " + op.table() + " (on a re-run after an interruption they exist: "
                        + "that is expected).",
                "SELECT count(*) FROM pg_attribute WHERE attrelid = " + PgSql.regclass(op.table()) + " AND NOT attisdropped\n  AND attname IN ("
                        + PgSql.literal(op.first().value()) + ", " + PgSql.literal(op.second().value()) + ")",
                Expectation.count(0), "the schema given to zerodown is out of date: compile again from the live schema."));
        checks.add(PgSyncTrigger.noOtherTriggerNaming(op.table(), syncName(op), List.of(op.source(), op.first(), op.second()), "the sync trigger"));
        Column source = op.sourceColumn(ctx.schema());
        for (Column target : List.of(op.firstColumn(ctx.schema()), op.secondColumn(ctx.schema()))) {
            if (narrower(target.type(), source.type())) {
                String value = "btrim(" + PgSql.quote(op.source()) + ")";
                String part = target.name().equals(op.first()) ? firstPart(value, position(value, op), op)
                        : secondPart(value, position(value, op), op);
                checks.add(new Check("Every existing part fits " + target.name() + " " + target.type().sql() + ".",
                        "SELECT count(*) FROM " + PgSql.quote(op.table()) + " WHERE length(" + part + ") > " + target.type().modifiers().get(0),
                        Expectation.count(0), "widen " + target.name() + " (types(…)) or clean the data first: the backfill would "
                        + "fail on these rows, and so would the application's writes of them."));
            }
        }
        return checks;
    }

    private static List<Hazard> hazards(SplitColumn op, PgContext ctx, TableProfile profile, PgContext.Approach approach) {
        List<Hazard> hazards = new ArrayList<>();
        if (!approach.direct() && profile.isLarge()) {
            hazards.add(new Hazard(RiskLevel.MEDIUM, "Backfill load on a large table",
                    "The backfill rewrites about " + String.format("%,d", profile.approximateRows()) + " rows: it writes WAL as fast "
                            + "as it runs (replication lag), leaves one dead row version per row for vacuum (table bloat until "
                            + "autovacuum catches up), and competes with the application for I/O.",
                    "Batches of " + String.format("%,d", op.batching().size()) + " committed one by one; watch replication lag and "
                            + "latency and cancel it if they exceed your limits: it resumes where it stopped. Add a pause between "
                            + "batches (pausing(…)) to throttle it."));
        }
        hazards.add(new Hazard(RiskLevel.LOW, "Sync trigger cost",
                "Every INSERT and UPDATE of " + op.table() + " runs a small PL/pgSQL function until the contract phase.",
                "It only computes two substrings; the contract phase removes it."));
        hazards.add(PgSyncTrigger.unseenWrites(op.table(), "synced", "the verification queries find such rows"));
        Column source = op.sourceColumn(ctx.schema());
        if (!PgSyncTrigger.uncomparableDefaults(List.of(source)).isEmpty()) {
            hazards.add(new Hazard(RiskLevel.MEDIUM, "Volatile default on " + op.source(),
                    op.source() + " has the default " + source.defaultValue().map(d -> d.sql()).orElse("(identity)") + ", which is "
                            + "volatile (or not known to be otherwise): the sync trigger cannot tell the value PostgreSQL generated "
                            + "from a written one, so an INSERT by new code that writes " + op.first() + "/" + op.second()
                            + " and leaves " + op.source() + " out keeps the generated value there, and old code reads it instead "
                            + "of the parts joined.",
                    "Until the contract phase, new code writes " + op.source() + " too (the parts joined with '" + op.separator()
                            + "'), or drop the default first (dropDefault)."));
        }
        if (!source.type().modifiers().isEmpty()) {
            hazards.add(new Hazard(RiskLevel.LOW, "New code writing long parts",
                    "While the trigger exists, a write of " + op.first() + " and " + op.second() + " whose joined length exceeds "
                            + source.type().sql() + " fails with \"value too long\", because " + op.source() + " is filled from them.",
                    "Validate in the new code that first + '" + op.separator() + "' + second fits " + source.type().sql() + "."));
        }
        return hazards;
    }

    private static List<AppChange> appChanges(SplitColumn op, PgContext ctx) {
        List<AppChange> changes = new ArrayList<>();
        changes.add(AppChange.before(Phase.EXPAND, "Nothing: deploy no change before the up script.",
                "Old code keeps working: the new columns are nullable, and the sync trigger fills them from " + op.source() + "."));
        changes.add(AppChange.after(Phase.BUILD, "Deploy code that reads " + op.first() + " and " + op.second()
                        + " (e.g. search by " + op.second() + ") and writes them instead of " + op.source() + "; it may stop writing "
                        + op.source() + ", which the trigger fills.",
                "Old and new code can run side by side during a rolling deploy: the trigger syncs writes in both directions. "
                        + "Rolling the code back is safe until the contract phase."));
        changes.add(AppChange.before(Phase.CONTRACT, "Remove every use of " + op.source() + ": reads, writes, ORM mappings (mark the "
                        + "attribute ignored), raw SQL, reports; and make sure no old instance still runs.",
                "After the contract phase, code that reads or writes " + op.source() + " fails: the column no longer exists."));
        return changes;
    }

    private static List<String> notes(SplitColumn op, PgContext ctx) {
        String sep = "'" + op.separator() + "'";
        List<String> notes = new ArrayList<>(List.of(
                op.table() + "." + op.source() + " is cut at the " + (op.at() == SplitColumn.SplitAt.FIRST ? "first" : "last") + " " + sep
                        + " after trimming surrounding spaces; " + op.first() + " gets the part before it, " + op.second()
                        + " the part after, each trimmed, an empty part becoming NULL.",
                "A value without " + sep + " goes whole to " + op.first() + " and " + op.second()
                        + " stays NULL ('Cher' gives 'Cher' and NULL). NULL, empty and all-space values give NULL in both.",
                "When new code writes " + op.first() + "/" + op.second() + ", the trigger sets " + op.source() + " to them joined with "
                        + sep + " (or to the one that is not NULL; NULL when both are).",
                "The backfill records its progress in " + PgKeysetBackfill.PROGRESS_TABLE
                        + " (created if missing, in a schema of its own); the down script clears its row."));
        Column source = op.sourceColumn(ctx.schema());
        if (!PgSyncTrigger.comparableDefaults(List.of(source)).isEmpty()) {
            notes.add(op.source() + " has the default " + source.defaultValue().orElseThrow().sql() + ", which PostgreSQL fills in "
                    + "before the trigger runs: an INSERT that writes " + op.first() + " or " + op.second() + " while " + op.source()
                    + " is NULL or equal to its default counts as new code's, and " + op.source() + " is set from the parts. An "
                    + "INSERT that writes " + op.source() + " with any other value and the parts keeps all three as written.");
        }
        return notes;
    }

    /** The split, defined once: PL/pgSQL run by the trigger for both the application's writes and the backfill. */
    static PgSyncTrigger syncTrigger(SplitColumn op, Schema schema) {
        String value = "zd_value";
        String cut = "zd_cut";
        String forward = value + " := btrim(NEW." + PgSql.quote(op.source()) + ");\n"
                + cut + " := " + position(value, op) + ";\n"
                + "NEW." + PgSql.quote(op.first()) + " := " + firstPart(value, cut, op) + ";\n"
                + "NEW." + PgSql.quote(op.second()) + " := " + secondPart(value, cut, op) + ";";
        String backward = "NEW." + PgSql.quote(op.source()) + " := NULLIF(concat_ws(" + PgSql.literal(op.separator()) + ", NEW."
                + PgSql.quote(op.first()) + ", NEW." + PgSql.quote(op.second()) + "), '');";
        return new PgSyncTrigger(op.table(), syncName(op), List.of(op.source()), List.of(op.first(), op.second()),
                "zd_value text;\nzd_cut integer;", forward, Optional.of(backward),
                PgSyncTrigger.comparableDefaults(List.of(op.sourceColumn(schema))));
    }

    static String syncName(SplitColumn op) {
        return PgNames.derived("zd_sync", op.table().value(), op.source().value());
    }

    /** Where the value is cut (1-based), or 0 when the separator does not occur. */
    static String position(String value, SplitColumn op) {
        String sep = PgSql.literal(op.separator());
        if (op.at() == SplitColumn.SplitAt.FIRST) {
            return "strpos(" + value + ", " + sep + ")";
        }
        return "CASE WHEN strpos(" + value + ", " + sep + ") = 0 THEN 0 ELSE length(" + value + ") - strpos(reverse(" + value
                + "), reverse(" + sep + ")) - length(" + sep + ") + 2 END";
    }

    static String firstPart(String value, String position, SplitColumn op) {
        return "CASE WHEN " + value + " = '' THEN NULL WHEN " + position + " = 0 THEN " + value + " ELSE NULLIF(btrim(left(" + value
                + ", " + position + " - 1)), '') END";
    }

    static String secondPart(String value, String position, SplitColumn op) {
        return "CASE WHEN " + position + " = 0 THEN NULL ELSE NULLIF(btrim(substr(" + value + ", " + position + " + length("
                + PgSql.literal(op.separator()) + "))), '') END";
    }

    private static boolean narrower(SqlType target, SqlType source) {
        if (target.modifiers().isEmpty()) {
            return false;
        }
        return source.modifiers().isEmpty() || target.modifiers().get(0) < source.modifiers().get(0);
    }

    private static List<Column> keyColumns(Table table) {
        return table.primaryKey().orElseThrow().columns().stream()
                .map(c -> table.column(c).orElseThrow())
                .toList();
    }

    private static LockClaim instant(SplitColumn op, PgLock mode) {
        return new LockClaim(op.table().value(), mode, TableWork.NONE, LockDuration.instant());
    }
}
