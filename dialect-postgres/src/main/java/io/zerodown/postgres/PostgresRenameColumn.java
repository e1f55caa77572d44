package io.zerodown.postgres;

import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.IndexName;
import io.zerodown.model.TableName;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.Durations;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.operation.Batching;
import io.zerodown.model.operation.RenameColumn;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Index;
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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Renames a column on PostgreSQL.
 *
 * <p>Direct (development database, or a maintenance window with the application stopped):
 * {@code ALTER TABLE … RENAME COLUMN}, a catalog change under ACCESS EXCLUSIVE for milliseconds.
 * Indexes, constraints, foreign keys, views and generated columns follow the column (they refer to
 * it by number); their names stay. Code that uses the old name fails from that moment.
 *
 * <p>Online (no downtime): expand-contract with a second column.
 * <ol>
 *   <li>expand: add the new column (same type, nullable, no default yet) and a two-way sync
 *       trigger in one short transaction: old code writes the old name, new code the new one, and
 *       each write reaches the other column;</li>
 *   <li>backfill: a no-op write of the old column, in committed keyset batches, makes the trigger
 *       copy it into the new one;</li>
 *   <li>build: NOT NULL (online sequence) when the old column is NOT NULL; copies of the column's
 *       CHECK constraints and foreign keys added NOT VALID and validated; copies of its indexes and
 *       unique constraints built concurrently;</li>
 *   <li>contract (after the rollback period): drop trigger, function and old column (its indexes
 *       and constraints go with it), give the copies the original names, attach unique
 *       constraints to their indexes and set the default on the new column.</li>
 * </ol>
 * The result is the direct rename's, except that the column is now the table's last.
 *
 * <p>Refused online (with the direct rename in a maintenance window as the advice): a column of
 * the primary key, one referenced by a foreign key, identity, serial and generated columns, one a
 * generated column is computed from, and a table without primary key. The new column gets no
 * default until the contract phase: a BEFORE INSERT trigger cannot tell a default from a written
 * value, so with a default on both columns an INSERT by new code could not be told from one by
 * old code.
 */
final class PostgresRenameColumn implements PgCompiler<RenameColumn> {

    @Override
    public List<String> problems(RenameColumn op, PgContext ctx) {
        List<String> problems = new ArrayList<>();
        if (PgNames.tooLong(op.to().value())) {
            problems.add("column name \"" + op.to() + "\" is longer than 63 bytes; PostgreSQL would silently cut it");
        }
        if (direct(ctx)) {
            return problems;
        }
        Table table = ctx.schema().requireTable(op.table());
        Column column = table.column(op.column()).orElseThrow();
        String instead = "; rename it directly in a maintenance window instead (downtime maintenanceWindow: ALTER TABLE … RENAME "
                + "COLUMN, milliseconds, with the application stopped)";
        table.primaryKey().filter(pk -> pk.columns().contains(op.column())).ifPresent(pk -> problems.add("column \"" + op.column()
                + "\" is part of the primary key \"" + pk.name() + "\": an online rename would need a second primary key on the "
                + "copy and to move every foreign key that references it" + instead));
        if (table.primaryKey().isEmpty()) {
            problems.add("table \"" + op.table() + "\" has no primary key; the online rename's batched backfill walks the primary key. "
                    + "Add one first, or rename directly in a maintenance window (downtime maintenanceWindow)");
        }
        for (Table other : ctx.schema().tables()) {
            for (Constraint c : other.constraints()) {
                if (c instanceof Constraint.ForeignKey fk && fk.referencedTable().equals(op.table())
                        && fk.referencedColumns().contains(op.column())) {
                    problems.add("column \"" + op.column() + "\" is referenced by the foreign key \"" + fk.name() + "\" of \""
                            + other.name() + "\": a foreign key cannot follow a column to its copy without being recreated and "
                            + "validated again" + instead);
                }
            }
        }
        Generation generation = column.generation().orElse(null);
        if (generation instanceof Generation.Identity) {
            problems.add("column \"" + op.column() + "\" is an identity column: a copy cannot share its sequence" + instead);
        } else if (generation instanceof Generation.Serial) {
            problems.add("column \"" + op.column() + "\" is a serial column: its sequence is owned by it and would be dropped with "
                    + "it" + instead);
        } else if (generation instanceof Generation.Stored) {
            problems.add("column \"" + op.column() + "\" is a generated column: it cannot be written, so no synced copy of it can "
                    + "be made" + instead);
        }
        for (Column other : table.columns()) {
            if (other.generation().orElse(null) instanceof Generation.Stored stored
                    && stored.expression().referencedColumns().contains(op.column().value())) {
                problems.add("the generated column \"" + other.name() + "\" is computed from \"" + op.column() + "\": dropping the old "
                        + "column in the contract phase would drop it too" + instead);
            }
        }
        String sync = syncName(op);
        if (ctx.schema().functions().stream().anyMatch(f -> f.value().equals(sync))
                || table.triggers().stream().anyMatch(t -> t.name().value().equals(sync))) {
            problems.add("a trigger or function named \"" + sync + "\" already exists: an earlier run of this rename? "
                    + "Give the current schema as it is before the migration, or finish/undo that run first");
        }
        return problems;
    }

    private static boolean direct(PgContext ctx) {
        return ctx.migration().downtime() instanceof DowntimeTolerance.DevOnly
                || ctx.migration().downtime() instanceof DowntimeTolerance.MaintenanceWindow;
    }

    static String syncName(RenameColumn op) {
        return PgNames.derived("zd_sync", op.table().value(), op.column().value());
    }

    @Override
    public CompiledOperation compile(RenameColumn op, PgContext ctx) {
        return direct(ctx) ? compileDirect(op, ctx) : new Online(op, ctx).compile();
    }

    // ── direct ────────────────────────────────────────────────────────────────────────────────

    /** {@code ALTER TABLE … RENAME COLUMN} unless already done (a re-run): PL/pgSQL. */
    static String renameIfNeeded(TableName table, ColumnName from, ColumnName to) {
        return "IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = " + PgSql.regclass(table) + " AND attname = "
                + PgSql.literal(from.value()) + " AND NOT attisdropped) THEN\n"
                + "  ALTER TABLE " + PgSql.quote(table) + " RENAME COLUMN " + PgSql.quote(from) + " TO " + PgSql.quote(to) + ";\n"
                + "END IF";
    }

    private static CompiledOperation compileDirect(RenameColumn op, PgContext ctx) {
        String slug = "rename_" + PgContext.slug(op.column().value()) + "_to_" + PgContext.slug(op.to().value());
        LockClaim lock = new LockClaim(op.table().value(), PgLock.ACCESS_EXCLUSIVE, TableWork.NONE, LockDuration.instant());
        Step undo = Step.builder(ctx.stepId(op, slug, "undo_rename"), Phase.EXPAND, Step.Kind.SCHEMA)
                .summary("Rename " + op.table() + "." + op.to() + " back to " + op.column())
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(renameIfNeeded(op.table(), op.to(), op.column()))))
                .lock(lock)
                .estimate(Duration.ofMillis(50))
                .effect(new SchemaChange.RenameColumn(op.table(), op.to(), op.column()))
                .ifInterrupted("Nothing is changed: the step is one transaction. Run it again.")
                .build();
        Step rename = Step.builder(ctx.stepId(op, slug, "rename"), Phase.EXPAND, Step.Kind.SCHEMA)
                .summary("Rename " + op.table() + "." + op.column() + " to " + op.to())
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(renameIfNeeded(op.table(), op.column(), op.to()))))
                .lock(lock)
                .estimate(Duration.ofMillis(50))
                .effect(new SchemaChange.RenameColumn(op.table(), op.column(), op.to()))
                .inverse(Inverse.steps(undo))
                .ifInterrupted("Nothing is changed: the rename is one transaction, retried on lock timeout. Run the script "
                        + "again: a rename already done is skipped.")
                .build();
        boolean window = ctx.migration().downtime() instanceof DowntimeTolerance.MaintenanceWindow;
        List<Technique> techniques = new ArrayList<>(List.of(Technique.DIRECT));
        if (window) {
            techniques.add(Technique.MAINTENANCE_WINDOW);
        }
        String what = "Rename " + op.table() + "." + op.column() + " to " + op.to() + ": ";
        String why = window
                ? "maintenance window: the rename alone (ALTER TABLE … RENAME COLUMN, a catalog change of milliseconds under "
                + "ACCESS EXCLUSIVE) while the application is stopped; code deployed after the window must use the new name."
                : "development database: the rename alone (ALTER TABLE … RENAME COLUMN, a catalog change); code using the old "
                + "name fails from then on, which is acceptable here.";
        CompiledOperation.Builder out = CompiledOperation.builder(op, new Strategy(techniques, List.of(what + why,
                "No row is read or written: indexes, constraints, foreign keys, views and generated columns refer to the column by "
                        + "number, so they follow the new name at once.")));
        out.step(rename);
        out.preCheck(new Check("No column of " + op.table() + " is called " + op.to() + " yet (on a re-run it is the renamed "
                + "column: expected).", columnCount(op.table(), op.to()), Expectation.count(0),
                "the name is taken, or the schema given to zerodown is out of date: compile again from the live schema."));
        out.verify(new Check("The column is now called " + op.to() + ", and " + op.column() + " is gone.",
                "SELECT count(*) FILTER (WHERE attname = " + PgSql.literal(op.to().value()) + ") * 10 + count(*) FILTER (WHERE attname = "
                        + PgSql.literal(op.column().value()) + ")\nFROM pg_attribute WHERE attrelid = " + PgSql.regclass(op.table())
                        + " AND NOT attisdropped",
                Expectation.count(10), "run the up script again."));
        out.hazard(new Hazard(RiskLevel.LOW, "Code using the old name fails at once",
                "From the rename on, every statement that names " + op.table() + "." + op.column() + " fails with \"column does not "
                        + "exist\": queries, ORM mappings, INSERTs listing it, functions and triggers written by hand (views follow the "
                        + "rename).",
                "Run it while the application is stopped, and deploy code that uses " + op.to() + " before starting it again."));
        out.appChange(AppChange.before(Phase.EXPAND, "Stop the application (or every part of it that uses " + op.table() + "."
                        + op.column() + ").",
                "Code that uses " + op.column() + " fails once the rename has run."));
        out.appChange(AppChange.after(Phase.EXPAND, "Deploy code that uses " + op.to() + ", then start it.",
                "Only code that uses the new name works against the new schema."));
        out.note("Index and constraint names stay as they are (a name such as " + op.table() + "_" + op.column()
                + "_key keeps mentioning the old column; rename it separately if it matters); their definitions follow the column.");
        out.note("PL/pgSQL functions and triggers written by hand that name " + op.column() + " are not changed: search "
                + "pg_proc.prosrc for the old name.");
        return out.build();
    }

    static String columnCount(TableName table, ColumnName column) {
        return "SELECT count(*) FROM pg_attribute WHERE attrelid = " + PgSql.regclass(table) + " AND attname = "
                + PgSql.literal(column.value()) + " AND NOT attisdropped";
    }

    // ── online ────────────────────────────────────────────────────────────────────────────────

    /** The online sequence, built for one operation. */
    private static final class Online {

        private final RenameColumn op;
        private final PgContext ctx;
        private final Table table;
        private final Column old;
        private final Column copy;
        private final String slug;
        private final TableProfile profile;
        private final PgSyncTrigger sync;
        private final Set<String> taken;
        /** Indexes that read the column (unique ones included), with their copies. */
        private final List<IndexCopy> indexes = new ArrayList<>();
        /** Unique constraints on the column, with the unique index that will back the copy. */
        private final List<UniqueCopy> uniques = new ArrayList<>();
        /** Checks that read the column, with their copies. */
        private final List<CheckCopy> checks = new ArrayList<>();
        /** Foreign keys of the table on the column, with their copies. */
        private final List<ForeignKeyCopy> foreignKeys = new ArrayList<>();

        Online(RenameColumn op, PgContext ctx) {
            this.op = op;
            this.ctx = ctx;
            this.table = ctx.schema().requireTable(op.table());
            this.old = table.column(op.column()).orElseThrow();
            this.copy = new Column(op.to(), old.type(), true, Optional.empty(), Optional.empty());
            this.slug = "rename_" + PgContext.slug(op.column().value()) + "_to_" + PgContext.slug(op.to().value());
            this.profile = ctx.profile(op.table());
            this.sync = syncTrigger(op);
            this.taken = new HashSet<>(PgTables.relationNames(ctx.schema()));
            table.constraints().forEach(c -> taken.add(c.name().value()));
            Schema renamed = new SchemaChange.RenameColumn(op.table(), op.column(), op.to()).apply(ctx.schema());
            Table after = renamed.requireTable(op.table());
            for (Index index : table.indexes()) {
                if (readsColumn(index)) {
                    Index target = after.index(index.name()).orElseThrow();
                    indexes.add(new IndexCopy(index, target.withName(IndexName.of(freeName(index.name().value())))));
                }
            }
            for (Constraint c : table.constraints()) {
                if (c instanceof Constraint.Unique u && u.columns().contains(op.column())) {
                    Constraint.Unique target = (Constraint.Unique) after.constraint(u.name()).orElseThrow();
                    Index backing = new Index(IndexName.of(freeName(u.name().value())), op.table(),
                            target.columns().stream().map(col -> (Index.Element) new Index.Element.OfColumn(col, false)).toList(),
                            true, Optional.empty(), "btree", true);
                    uniques.add(new UniqueCopy(u, target, backing));
                } else if (c instanceof Constraint.ForeignKey fk && fk.columns().contains(op.column())) {
                    Constraint.ForeignKey target = (Constraint.ForeignKey) after.constraint(fk.name()).orElseThrow();
                    foreignKeys.add(new ForeignKeyCopy(fk, target.withName(ConstraintName.of(freeName(fk.name().value())))));
                } else if (c instanceof Constraint.Check check && check.expression().referencedColumns().contains(op.column().value())) {
                    Constraint.Check target = (Constraint.Check) after.constraint(check.name()).orElseThrow();
                    checks.add(new CheckCopy(check, target.withName(ConstraintName.of(freeName(check.name().value())))));
                }
            }
        }

        private boolean readsColumn(Index index) {
            String name = op.column().value();
            return index.columns().contains(op.column())
                    || index.elements().stream().anyMatch(e -> e instanceof Index.Element.OfExpression x
                    && x.expression().referencedColumns().contains(name))
                    || index.predicate().filter(p -> p.referencedColumns().contains(name)).isPresent();
        }

        /** {@code zd_<name>}, or with a number when taken; within 63 bytes. */
        private String freeName(String original) {
            for (int n = 0; ; n++) {
                String name = PgNames.derived("zd" + (n == 0 ? "" : Integer.toString(n)), original);
                if (taken.add(name)) {
                    return name;
                }
            }
        }

        CompiledOperation compile() {
            TableName t = op.table();
            CompiledOperation.Builder out = CompiledOperation.builder(op, strategy());

            // expand
            List<String> dropSql = new ArrayList<>(sync.drop());
            dropSql.add("ALTER TABLE " + PgSql.quote(t) + " DROP COLUMN IF EXISTS " + PgSql.quote(op.to()));
            List<SchemaChange> dropEffects = new ArrayList<>(sync.dropEffects());
            dropEffects.add(new SchemaChange.DropColumn(t, op.to()));
            Step undoExpand = Step.builder(ctx.stepId(op, slug, "undo_expand"), Phase.EXPAND, Step.Kind.SCHEMA)
                    .summary("Drop the sync trigger and the column " + op.to() + " (" + op.column() + " was kept current: nothing "
                            + "is lost)")
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), dropSql))
                    .lock(instant(PgLock.ACCESS_EXCLUSIVE))
                    .estimate(Duration.ofMillis(50))
                    .effects(dropEffects)
                    .ifInterrupted("Nothing is changed: the step is one transaction. Run it again.")
                    .build();
            List<SchemaChange> expandEffects = new ArrayList<>();
            expandEffects.add(new SchemaChange.AddColumn(t, copy));
            expandEffects.addAll(sync.createEffects());
            out.step(Step.builder(ctx.stepId(op, slug, "expand"), Phase.EXPAND, Step.Kind.SCHEMA)
                    .summary("Add the column " + op.to() + " (" + old.type().sql() + ", nullable) and the two-way sync trigger on " + t)
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(
                            "ALTER TABLE " + PgSql.quote(t) + " ADD COLUMN IF NOT EXISTS " + PgSql.quote(op.to()) + " " + old.type().sql(),
                            createFunction(), sync.createTriggerIfMissing())))
                    .lock(instant(PgLock.ACCESS_EXCLUSIVE))
                    .estimate(Duration.ofMillis(50))
                    .effects(expandEffects)
                    .inverse(Inverse.steps(undoExpand))
                    .ifInterrupted("Nothing is changed: column, function and trigger are added in one transaction, retried on "
                            + "lock timeout. Run the script again.")
                    .build());

            // backfill
            PgKeysetBackfill backfill = backfill();
            Batching batching = Batching.defaults();
            long rows = profile.approximateRows();
            Duration perBatch = PostgresFacts.forRows(batching.size(), PostgresFacts.BACKFILL_ROWS_PER_SECOND);
            long batches = Math.max(1, (rows + batching.size() - 1) / batching.size());
            Duration total = PostgresFacts.forRows(rows, PostgresFacts.BACKFILL_ROWS_PER_SECOND).plus(batching.pause().multipliedBy(batches));
            out.step(Step.builder(ctx.stepId(op, slug, "backfill"), Phase.BACKFILL, Step.Kind.BACKFILL)
                    .summary("Copy " + op.column() + " into " + op.to() + " in batches of " + String.format("%,d", batching.size()))
                    .execution(Execution.OUTSIDE_TRANSACTION)
                    .statements(backfill.statements())
                    .lock(new LockClaim(t.value(), PgLock.ROW_EXCLUSIVE, TableWork.BATCH_UPDATE, new LockDuration.PerBatch(batching.size(), perBatch)))
                    .estimate(total)
                    .inverse(Inverse.steps(Step.builder(ctx.stepId(op, slug, "undo_backfill"), Phase.BACKFILL, Step.Kind.SCHEMA)
                            .summary("Forget the backfill's progress, so that a new up script copies the column again")
                            .statement(backfill.forgetProgress())
                            .build()))
                    .ifInterrupted("Batches committed so far stay done; the rest of the rows are copied by the sync trigger when "
                            + "they are written, or by running the step again, which resumes after the last committed batch (see "
                            + PgKeysetBackfill.PROGRESS_TABLE + ").")
                    .build());

            // build: NOT NULL, checks, indexes
            Table expanded = table.withColumns(append(table.columns(), copy));
            if (!old.nullable()) {
                // No inverse of its own: the down script drops the column, and its NOT NULL (and on 12 to 17 a temporary
                // check an interrupted run may have left) with it; a DROP NOT NULL first would fail once the column is gone.
                PgConstraintSteps.notNullOnline(ctx, op, slug, "", Phase.BUILD, expanded, copy).forEach(step -> out.step(
                        new Step(step.id(), step.phase(), step.kind(), step.summary(), step.execution(), step.statements(),
                                step.guard(), step.locks(), step.estimate(), step.effects(), Inverse.nothing(), step.ifInterrupted())));
            }
            Duration scan = PostgresFacts.forRows(rows, PostgresFacts.SCAN_ROWS_PER_SECOND);
            for (CheckCopy pair : checks) {
                Constraint.Check check = pair.copy();
                String part = "check_" + PgContext.slug(pair.original().name().value());
                out.step(PgConstraintSteps.addNotValid(ctx, op, slug, "add_" + part, Phase.BUILD, t, check));
                out.step(PgConstraintSteps.validate(ctx, op, slug, "validate_" + part, t, check, java.util.Map.of(t, rows), scan));
            }
            for (ForeignKeyCopy pair : foreignKeys) {
                Constraint.ForeignKey fk = pair.copy();
                String part = "fk_" + PgContext.slug(pair.original().name().value());
                java.util.Map<TableName, Long> counts = new java.util.HashMap<>();
                counts.put(fk.referencedTable(), ctx.profile(fk.referencedTable()).approximateRows());
                counts.put(t, rows);
                Duration fkScan = PostgresFacts.forRows(counts.values().stream().mapToLong(Long::longValue).sum(),
                        PostgresFacts.SCAN_ROWS_PER_SECOND);
                out.step(PgConstraintSteps.addNotValid(ctx, op, slug, "add_" + part, Phase.BUILD, t, fk));
                out.step(PgConstraintSteps.validate(ctx, op, slug, "validate_" + part, t, fk, counts, fkScan));
            }
            int n = 0;
            for (IndexCopy pair : indexes) {
                buildIndex(out, pair.copy(), "index_" + (++n), "Build " + pair.copy().name() + ", the copy of the index "
                        + pair.original().name() + " on " + op.to() + ", concurrently");
            }
            for (UniqueCopy unique : uniques) {
                buildIndex(out, unique.backing(), "index_" + (++n), "Build " + unique.backing().name() + ", the unique index that "
                        + "will back the constraint " + unique.original().name() + " on " + op.to() + ", concurrently");
            }
            if (n > 0) {
                PgConcurrentIndex.advice(out, ctx, "CREATE INDEX CONCURRENTLY");
            }

            out.step(contract());

            preChecks().forEach(out::preCheck);
            verifications(backfill).forEach(out::verify);
            hazards().forEach(out::hazard);
            out.monitor(Monitor.query("Backfill progress of " + t + "." + op.to(), backfill.progressQuery(),
                    "rows_per_second falling, or updated_at no longer moving while the step runs (it is waiting on locks)"));
            out.abortWhen(new AbortCriterion("replication lag or application latency rises beyond your limit during the backfill",
                    "cancel the backfill (pg_cancel_backend on its pid); committed batches stay done and the trigger keeps new "
                            + "writes in sync. Run the up script again later: it resumes where it stopped"));
            appChanges().forEach(out::appChange);
            notes().forEach(out::note);
            return out.build();
        }

        /** Drops an INVALID copy a failed earlier build left (guarded), then builds the copy concurrently. */
        private void buildIndex(CompiledOperation.Builder out, Index index, String part, String summary) {
            PgConcurrentIndex concurrent = new PgConcurrentIndex(ctx, op, slug, index);
            out.step(concurrent.repair("repair_" + part));
            Step drop = Step.builder(ctx.stepId(op, slug, "undo_" + part), Phase.BUILD, Step.Kind.SCHEMA)
                    .summary("Drop the index " + index.name() + " concurrently")
                    .execution(Execution.OUTSIDE_TRANSACTION)
                    .statement(PgConcurrentIndex.dropConcurrently(index.name()))
                    .lock(concurrent.sue(TableWork.NONE, LockDuration.instant()))
                    .estimate(Duration.ofMillis(50))
                    .effect(new SchemaChange.DropIndex(op.table(), index.name()))
                    .ifInterrupted("The index may be left INVALID; run the script again.")
                    .build();
            out.step(concurrent.build(part, summary).inverse(Inverse.steps(drop)).build());
        }

        private Step contract() {
            TableName t = op.table();
            List<String> sql = new ArrayList<>(sync.drop());
            List<SchemaChange> effects = new ArrayList<>(sync.dropEffects());
            sql.add("ALTER TABLE " + PgSql.quote(t) + " DROP COLUMN IF EXISTS " + PgSql.quote(op.column()));
            indexes.forEach(pair -> effects.add(new SchemaChange.DropIndex(t, pair.original().name())));
            uniques.forEach(unique -> effects.add(new SchemaChange.DropConstraint(t, unique.original().name())));
            checks.forEach(pair -> effects.add(new SchemaChange.DropConstraint(t, pair.original().name())));
            foreignKeys.forEach(pair -> effects.add(new SchemaChange.DropConstraint(t, pair.original().name())));
            effects.add(new SchemaChange.DropColumn(t, op.column()));
            for (IndexCopy pair : indexes) {
                sql.add("ALTER INDEX IF EXISTS " + PgSql.quote(pair.copy().name()) + " RENAME TO " + PgSql.quote(pair.original().name()));
                effects.add(new SchemaChange.DropIndex(t, pair.copy().name()));
                effects.add(new SchemaChange.AddIndex(pair.copy().withName(pair.original().name())));
            }
            for (UniqueCopy unique : uniques) {
                Constraint.Unique target = unique.target();
                Index backing = unique.backing();
                sql.add(PgConstraintSteps.ifThen("NOT " + PgConstraintSteps.constraintExists(t, target.name(), null),
                        "ALTER TABLE " + PgSql.quote(t) + " ADD CONSTRAINT " + PgSql.quote(target.name()) + " UNIQUE USING INDEX "
                                + PgSql.quote(backing.name())));
                effects.add(new SchemaChange.DropIndex(t, backing.name()));
                effects.add(new SchemaChange.AddConstraint(t, target));
            }
            for (CheckCopy pair : checks) {
                sql.add(PgConstraintSteps.ifThen(PgConstraintSteps.constraintExists(t, pair.copy().name(), null),
                        "ALTER TABLE " + PgSql.quote(t) + " RENAME CONSTRAINT " + PgSql.quote(pair.copy().name()) + " TO "
                                + PgSql.quote(pair.original().name())));
                effects.add(new SchemaChange.DropConstraint(t, pair.copy().name()));
                effects.add(new SchemaChange.AddConstraint(t, pair.copy().withName(pair.original().name())));
            }
            for (ForeignKeyCopy pair : foreignKeys) {
                sql.add(PgConstraintSteps.ifThen(PgConstraintSteps.constraintExists(t, pair.copy().name(), null),
                        "ALTER TABLE " + PgSql.quote(t) + " RENAME CONSTRAINT " + PgSql.quote(pair.copy().name()) + " TO "
                                + PgSql.quote(pair.original().name())));
                effects.add(new SchemaChange.DropConstraint(t, pair.copy().name()));
                effects.add(new SchemaChange.AddConstraint(t, pair.copy().withName(pair.original().name())));
            }
            Column finalColumn = copy.withNullable(old.nullable()).withDefault(old.defaultValue());
            if (old.defaultValue().isPresent()) {
                sql.add("ALTER TABLE " + PgSql.quote(t) + " ALTER COLUMN " + PgSql.quote(op.to()) + " SET DEFAULT "
                        + old.defaultValue().get().sql());
                effects.add(new SchemaChange.AlterColumn(t, finalColumn));
            }
            String later = "ALTER TABLE " + PgSql.quote(t) + " RENAME COLUMN " + PgSql.quote(op.to()) + " TO " + PgSql.quote(op.column());
            Step.Builder step = Step.builder(ctx.stepId(op, slug, "contract"), Phase.CONTRACT, Step.Kind.SCHEMA)
                    .lock(instant(PgLock.ACCESS_EXCLUSIVE));
            // Dropping the column drops its foreign keys, whose triggers live on the referenced tables too.
            foreignKeys.stream().map(pair -> pair.original().referencedTable()).filter(r -> !r.equals(t)).distinct()
                    .forEach(r -> step.lock(new LockClaim(r.value(), PgLock.ACCESS_EXCLUSIVE, TableWork.NONE, LockDuration.instant())));
            return step
                    .summary("Drop the sync trigger and the column " + op.column() + "; give the copies of its indexes and "
                            + "constraints their original names" + (old.defaultValue().isPresent() ? "; set the default on " + op.to() : ""))
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), sql))
                    .estimate(Duration.ofMillis(50))
                    .effects(effects)
                    .inverse(Inverse.irreversible("the column " + op.column() + " is gone and code that uses it fails. No value is "
                            + "lost: " + op.to() + " holds every row's value. To bring the old name back, run the reverse migration "
                            + "(renameColumn(\"" + op.to() + "\").to(\"" + op.column() + "\")), or in a maintenance window: " + later + "."))
                    .ifInterrupted("Nothing is changed: the step is one transaction, retried on lock timeout. Run it again.")
                    .build();
        }

        /** The trigger function: INSERT takes the new column when it is set, UPDATE the side that changed. */
        private String createFunction() {
            String a = "NEW." + PgSql.quote(op.column());
            String b = "NEW." + PgSql.quote(op.to());
            String body = "\nBEGIN\n"
                    + "  IF TG_OP = 'INSERT' THEN\n"
                    + "    IF " + b + " IS NULL THEN\n"
                    + "      -- old code (or new code leaving the column to its default): copy the old column\n"
                    + "      " + b + " := " + a + ";\n"
                    + "    ELSE\n"
                    + "      -- new code wrote the new column\n"
                    + "      " + a + " := " + b + ";\n"
                    + "    END IF;\n"
                    + "  ELSIF " + b + "::text IS DISTINCT FROM OLD." + PgSql.quote(op.to()) + "::text THEN\n"
                    + "    -- new code changed the new column\n"
                    + "    " + a + " := " + b + ";\n"
                    + "  ELSE\n"
                    + "    -- old code changed the old column, or another column was written (the backfill)\n"
                    + "    " + b + " := " + a + ";\n"
                    + "  END IF;\n"
                    + "  RETURN NEW;\n"
                    + "END\n";
            return "CREATE OR REPLACE FUNCTION " + PgSql.quote(sync.functionName()) + "() RETURNS trigger LANGUAGE plpgsql AS "
                    + PgSql.dollarQuote(body, "function");
        }

        private PgKeysetBackfill backfill() {
            List<Column> key = table.primaryKey().orElseThrow().columns().stream().map(c -> table.column(c).orElseThrow()).toList();
            String row = PgKeysetBackfill.ROW + ".";
            return new PgKeysetBackfill(ctx.migration().name(), ctx.stepId(op, slug, "backfill"), op.table(), key,
                    PgSql.quote(op.column()) + " = " + row + PgSql.quote(op.column()),
                    row + PgSql.quote(op.to()) + "::text IS DISTINCT FROM " + row + PgSql.quote(op.column()) + "::text",
                    Batching.defaults(), ctx.lockPolicy());
        }

        private Strategy strategy() {
            List<String> reasons = new ArrayList<>();
            reasons.add("Rename " + op.table() + "." + op.column() + " to " + op.to() + ": no downtime is allowed, so old code (which "
                    + "uses " + op.column() + ") and new code (which uses " + op.to() + ") must run side by side. ALTER TABLE … "
                    + "RENAME COLUMN would break old code the moment it runs, so " + op.to() + " is added as a second column, kept "
                    + "equal to " + op.column() + " by a trigger in both directions, and " + op.column() + " is dropped in the "
                    + "contract phase.");
            reasons.add("Backfill in committed batches of " + String.format("%,d", Batching.defaults().size()) + " rows walking the "
                    + "primary key: each batch locks only its own rows for about "
                    + Durations.human(PostgresFacts.forRows(Batching.defaults().size(), PostgresFacts.BACKFILL_ROWS_PER_SECOND))
                    + ", and the job resumes where it stopped.");
            List<Technique> techniques = new ArrayList<>(List.of(Technique.EXPAND_CONTRACT, Technique.SYNC_TRIGGER, Technique.BATCHED_DML));
            List<String> kinds = new ArrayList<>();
            if (!old.nullable()) {
                kinds.add("NOT NULL");
            }
            if (!checks.isEmpty()) {
                kinds.add("CHECK");
            }
            if (!foreignKeys.isEmpty()) {
                kinds.add("FOREIGN KEY");
            }
            if (!kinds.isEmpty()) {
                techniques.add(Technique.NOT_VALID_THEN_VALIDATE);
                reasons.add("Constraints on " + op.column() + " (" + String.join(", ", kinds) + ") are added to " + op.to()
                        + " NOT VALID and validated separately, so no lock that blocks writes is held while rows are read.");
            }
            if (!indexes.isEmpty() || !uniques.isEmpty()) {
                techniques.add(Technique.CONCURRENT_INDEX);
                reasons.add("Each index on " + op.column() + " gets a copy on " + op.to() + ", built concurrently after the backfill "
                        + "(SHARE UPDATE EXCLUSIVE: reads and writes go on); the contract phase gives the copies the original names.");
            }
            reasons.add(ctx.migration().rollback() instanceof RollbackRequirement.ReversibleFor r
                    ? op.column() + " is kept, and kept current, for the " + Durations.human(r.period()) + " rollback period; the "
                    + "contract phase drops it afterwards."
                    : op.column() + " is dropped in the contract phase once no deployed code uses it (no rollback period was asked for).");
            return new Strategy(techniques, reasons);
        }

        private List<Check> preChecks() {
            TableName t = op.table();
            List<Check> list = new ArrayList<>();
            list.add(new Check("No column of " + t + " is called " + op.to() + " yet (on a re-run after an interruption it exists: "
                    + "that is expected).", columnCount(t, op.to()), Expectation.count(0),
                    "the schema given to zerodown is out of date: compile again from the live schema."));
            list.add(new Check("Nothing but " + t + "'s own indexes and constraints depends on " + op.column() + " (no view, rule, "
                    + "policy, trigger column list, statistics object or publication column list).",
                    "SELECT count(*) FROM pg_depend d\n"
                            + "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid\n"
                            + "WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = " + PgSql.regclass(t) + " AND a.attname = "
                            + PgSql.literal(op.column().value()) + "\n"
                            + "  AND d.classid NOT IN ('pg_constraint'::regclass, 'pg_attrdef'::regclass)\n"
                            + "  AND NOT (d.classid = 'pg_class'::regclass AND d.objid IN (SELECT indexrelid FROM pg_index WHERE indrelid = "
                            + PgSql.regclass(t) + "))\n"
                            + "  AND NOT (d.classid = 'pg_class'::regclass AND d.objid = " + PgSql.regclass(t) + ")",
                    Expectation.count(0), "these objects would keep reading " + op.column() + " while new code writes " + op.to()
                    + ", and the contract phase could not drop " + op.column() + " (views) or would drop them with it: recreate them "
                    + "on " + op.to() + " by hand, or rename directly in a maintenance window (downtime maintenanceWindow), where they "
                    + "follow the rename."));
            String attribute = "FROM pg_attribute a WHERE a.attrelid = " + PgSql.regclass(t) + " AND a.attname = "
                    + PgSql.literal(op.column().value());
            list.add(new Check(op.column() + " has its type's default collation (the copy " + op.to() + " is created with it).",
                    "SELECT a.attcollation = (SELECT typcollation FROM pg_type WHERE oid = a.atttypid) " + attribute,
                    Expectation.isTrue(), "the copy would sort and compare differently, and so would its index copies: rename "
                    + "directly in a maintenance window (downtime maintenanceWindow) instead."));
            list.add(new Check("No column-level grants on " + op.column() + " (the copy " + op.to() + " does not get them).",
                    "SELECT count(*) " + attribute + " AND a.attacl IS NOT NULL", Expectation.count(0),
                    "after the expand step, grant the same column privileges on " + op.to() + " by hand (GRANT … (" + op.to()
                            + ") ON " + t + "), or roles that rely on them cannot use the new name."));
            list.add(PgConcurrentIndex.notPartitioned(t, "The online rename (sync trigger, concurrent index copies)"));
            return list;
        }

        private List<Check> verifications(PgKeysetBackfill backfill) {
            TableName t = op.table();
            List<Check> list = new ArrayList<>();
            list.add(new Check("The column " + op.to() + " exists with the type of " + op.column() + ".",
                    "SELECT count(*) FROM pg_attribute WHERE attrelid = " + PgSql.regclass(t) + " AND NOT attisdropped\n  AND attname = "
                            + PgSql.literal(op.to().value()) + " AND format_type(atttypid, atttypmod) = " + PgSql.literal(old.type().sql()),
                    Expectation.count(1), "the expand step did not run or failed; run the up script again."));
            list.add(new Check("The sync trigger exists and is enabled.", sync.enabledCountQuery(), Expectation.count(1),
                    "run the up script again; if the trigger exists but is disabled, enable it (ALTER TABLE … ENABLE TRIGGER) before "
                            + "any new code is deployed."));
            list.add(new Check("The backfill finished.", backfill.finishedQuery(), Expectation.count(1),
                    "run the up script again: the backfill resumes where it stopped."));
            list.add(new Check("Both names hold the same value in every row.", differences(), Expectation.count(0),
                    "some rows were written in a way the sync trigger did not see (triggers disabled, session_replication_role = "
                            + "replica): list them with the same query selecting the key, and fix them with UPDATE … SET "
                            + op.column() + " = " + op.column() + " (which copies it) or by writing " + op.to() + "."));
            if (!old.nullable()) {
                list.add(new Check(t + "." + op.to() + " is NOT NULL.", "SELECT " + PgConstraintSteps.columnNotNull(t, op.to()),
                        Expectation.isTrue(), "run the up script again."));
            }
            List<String> copies = new ArrayList<>();
            indexes.forEach(pair -> copies.add(pair.copy().name().value()));
            uniques.forEach(u -> copies.add(u.backing().name().value()));
            if (!copies.isEmpty()) {
                list.add(new Check("The index copies on " + op.to() + " exist and are valid.",
                        "SELECT count(*) FROM pg_index WHERE indrelid = " + PgSql.regclass(t) + " AND indisvalid AND indexrelid IN ("
                                + String.join(", ", copies.stream().map(c -> PgSql.toRegclass(IndexName.of(c))).toList()) + ")",
                        Expectation.count(copies.size()), "run the up script again: an INVALID copy is dropped and built anew."));
            }
            for (ForeignKeyCopy pair : foreignKeys) {
                list.add(new Check("The foreign key " + pair.copy().name() + " on " + op.to() + " is validated.",
                        "SELECT " + PgConstraintSteps.constraintExists(t, pair.copy().name(), true), Expectation.isTrue(),
                        "run the up script again; a row whose " + op.column() + " has no match in " + pair.copy().referencedTable()
                                + " stops its validation: fix it first."));
            }
            for (CheckCopy pair : checks) {
                list.add(new Check("The check " + pair.copy().name() + " on " + op.to() + " is validated.",
                        "SELECT " + PgConstraintSteps.constraintExists(t, pair.copy().name(), true), Expectation.isTrue(),
                        "run the up script again; a row the check rejects stops its validation: fix it first."));
            }
            return list;
        }

        String differences() {
            return "SELECT count(*) FROM " + PgSql.quote(op.table()) + " WHERE " + PgSql.quote(op.to()) + "::text IS DISTINCT FROM "
                    + PgSql.quote(op.column()) + "::text";
        }

        private List<Hazard> hazards() {
            List<Hazard> list = new ArrayList<>();
            if (profile.isLarge()) {
                list.add(new Hazard(RiskLevel.MEDIUM, "Backfill load on a large table",
                        "The backfill rewrites about " + String.format("%,d", profile.approximateRows()) + " rows: WAL (replication "
                                + "lag), one dead row version per row for vacuum, I/O shared with the application; the table grows by "
                                + "the size of the copied column until vacuum and later writes reuse the space.",
                        "Batches of " + String.format("%,d", Batching.defaults().size()) + " committed one by one; watch replication "
                                + "lag and cancel it if needed: it resumes where it stopped."));
            }
            list.add(new Hazard(RiskLevel.LOW, "Sync trigger cost",
                    "Every INSERT and UPDATE of " + op.table() + " runs a small PL/pgSQL function until the contract phase.",
                    "It only copies one value; the contract phase removes it."));
            list.add(PgSyncTrigger.unseenWrites(op.table(), "synced", "the verification query counts rows where the two names differ"));
            list.add(new Hazard(RiskLevel.LOW, "Writes of both names at once, and explicit NULLs",
                    "An UPDATE that sets both " + op.column() + " and " + op.to() + " keeps " + op.to() + "'s value in both. "
                            + (old.defaultValue().isPresent()
                            ? "Until the contract phase " + op.to() + " has no default of its own: an INSERT by new code that leaves "
                            + op.to() + " out gets " + op.column() + "'s default in both, as intended, but one that writes NULL into "
                            + op.to() + " explicitly gets the default too."
                            : "An INSERT that writes NULL into " + op.to() + " copies " + op.column() + ", which is NULL too unless "
                            + "another trigger set it."),
                    "New code writes only " + op.to() + ", old code only " + op.column() + "."));
            return list;
        }

        private List<AppChange> appChanges() {
            List<AppChange> list = new ArrayList<>();
            list.add(AppChange.before(Phase.EXPAND, "Nothing: deploy no change before the up script.",
                    "Old code keeps working: " + op.column() + " is untouched, and the sync trigger copies its writes into " + op.to() + "."));
            list.add(AppChange.after(Phase.BUILD, "Deploy code that reads and writes " + op.to() + " instead of " + op.column()
                            + " (queries, ORM mappings, raw SQL, reports). It must not write " + op.column() + ".",
                    "Old and new code can run side by side during a rolling deploy: a write of either name reaches the other. "
                            + "Rolling the code back is safe until the contract phase."));
            list.add(AppChange.before(Phase.CONTRACT, "Remove every use of " + op.column() + " and make sure no old instance still runs "
                            + "(ORMs that select every column by name included).",
                    "After the contract phase " + op.column() + " no longer exists: code that uses it fails."));
            return list;
        }

        private List<String> notes() {
            List<String> list = new ArrayList<>();
            list.add("After the contract phase " + op.table() + " looks as a direct rename would leave it: " + op.to() + " has "
                    + op.column() + "'s type, nullability, default, indexes and constraints, under their original names. One "
                    + "difference: " + op.to() + " is now the table's last column (SELECT * lists it last).");
            if (old.defaultValue().isPresent()) {
                list.add(op.to() + " gets " + op.column() + "'s default (" + old.defaultValue().get().sql() + ") in the contract "
                        + "phase; until then the trigger copies the default " + op.column() + " receives, so an INSERT by new code that "
                        + "leaves " + op.to() + " out still gets it.");
            }
            if (!old.nullable() && ctx.facts().has(PgFeature.NOT_NULL_NOT_VALID)) {
                list.add("On PostgreSQL 18 the not-null constraint of " + op.to() + " is named "
                        + PgConstraintSteps.notNullName(table.withColumns(append(table.columns(), copy)), op.to()) + ".");
            }
            list.add("The backfill records its progress in " + PgKeysetBackfill.PROGRESS_TABLE
                    + " (created if missing, in a schema of its own); the down script clears its row.");
            list.add("PL/pgSQL functions and triggers written by hand that name " + op.column() + " are not changed: search "
                    + "pg_proc.prosrc for the old name and update them before the contract phase.");
            list.add("The copy gets " + op.column() + "'s type, nullability, default, CHECK constraints and indexes, but not its "
                    + "comment, statistics target, storage or compression settings: set those on " + op.to() + " by hand if you "
                    + "changed them.");
            return list;
        }

        private LockClaim instant(PgLock mode) {
            return new LockClaim(op.table().value(), mode, TableWork.NONE, LockDuration.instant());
        }
    }

    private record IndexCopy(Index original, Index copy) {
    }

    private record UniqueCopy(Constraint.Unique original, Constraint.Unique target, Index backing) {
    }

    private record CheckCopy(Constraint.Check original, Constraint.Check copy) {
    }

    private record ForeignKeyCopy(Constraint.ForeignKey original, Constraint.ForeignKey copy) {
    }

    static PgSyncTrigger syncTrigger(RenameColumn op) {
        String name = syncName(op);
        return new PgSyncTrigger(op.table(), name, List.of(op.column()), List.of(op.to()), "",
                "NEW." + PgSql.quote(op.to()) + " := NEW." + PgSql.quote(op.column()) + ";",
                Optional.of("NEW." + PgSql.quote(op.column()) + " := NEW." + PgSql.quote(op.to()) + ";"),
                // No defaults to compare: the rename writes a function of its own (createFunction), where a non-NULL new
                // column wins on INSERT whatever default the old one received.
                java.util.Map.of());
    }

    private static List<Column> append(List<Column> columns, Column column) {
        List<Column> all = new ArrayList<>(columns);
        all.add(column);
        return all;
    }
}
