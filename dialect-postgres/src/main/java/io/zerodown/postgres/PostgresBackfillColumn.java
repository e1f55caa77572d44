package io.zerodown.postgres;

import io.zerodown.model.ColumnName;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.Durations;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.operation.BackfillColumn;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Table;
import io.zerodown.model.schema.Trigger;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.NextValExpression;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;

/**
 * Fills an existing column from an SQL expression over the row, on PostgreSQL.
 *
 * <ol>
 *   <li>expand: a trigger that computes the column on every INSERT and on every UPDATE of the
 *       columns the expression reads (or of the column itself), until the contract phase: rows
 *       written after their batch, by code that does not know the column, cannot be left stale.
 *       CREATE TRIGGER takes SHARE ROW EXCLUSIVE for milliseconds, under {@code lock_timeout};</li>
 *   <li>backfill: {@code SET column = expression} in committed keyset batches, only on rows where the
 *       column IS DISTINCT FROM the expression (cast to the column's type): rows already right are not
 *       rewritten, so a resumed or repeated run costs only reads;</li>
 *   <li>contract: drop the trigger (ACCESS EXCLUSIVE for milliseconds).</li>
 * </ol>
 * With a rollback period ({@code ReversibleFor}) the trigger also keeps the value each row had
 * before the migration first changed it, in a side table {@code zerodown."zd_old_…"} keyed by the
 * primary key and written in the same transaction as the change (so in the backfill's own batches);
 * the down script drops the trigger, then puts those values back in batches. Without one, the
 * overwritten values are lost and the package says so.
 */
final class PostgresBackfillColumn implements PgCompiler<BackfillColumn> {

    /** Functions whose value changes from one call, statement or transaction to the next. */
    private static final Set<String> NON_DETERMINISTIC = Set.of("random", "random_normal", "setseed", "now", "clock_timestamp",
            "timeofday", "statement_timestamp", "transaction_timestamp", "gen_random_uuid", "uuid_generate_v1",
            "uuid_generate_v1mc", "uuid_generate_v4", "uuidv4", "uuidv7", "nextval", "currval", "lastval", "txid_current",
            "pg_current_xact_id", "localtime", "localtimestamp");

    static final String SIDE_SCHEMA = "zerodown";
    private static final int SAMPLE_ROWS = 10_000;

    @Override
    public List<String> problems(BackfillColumn op, PgContext ctx) {
        List<String> problems = new ArrayList<>();
        Table table = ctx.schema().requireTable(op.table());
        if (table.primaryKey().isEmpty()) {
            problems.add("table \"" + op.table() + "\" has no primary key; the batched backfill walks the primary key. "
                    + "Add one first (a unique index built concurrently, then ADD PRIMARY KEY USING INDEX)");
        } else if (table.primaryKey().get().columns().contains(op.column())) {
            problems.add("column \"" + op.column() + "\" is part of the primary key, which the batched backfill walks: changing "
                    + "keys while walking them is not supported. Add a new column, backfill it, and swap the keys instead");
        }
        String trigger = triggerName(op);
        PgNames.taken(ctx.schema(), table, trigger, "backfill").ifPresent(problems::add);
        return problems;
    }

    @Override
    public CompiledOperation compile(BackfillColumn op, PgContext ctx) {
        Table table = ctx.schema().requireTable(op.table());
        Column column = table.column(op.column()).orElseThrow();
        TableProfile profile = ctx.profile(op.table());
        boolean keep = ctx.migration().rollback() instanceof RollbackRequirement.ReversibleFor;
        String slug = "backfill_" + PgContext.slug(op.column().value());
        List<Column> key = keyColumns(table);
        Filler filler = new Filler(op, table, column, key, keep ? sideTable(op, ctx) : null);

        Duration fullUpdate = PostgresFacts.forRows(profile.approximateRows(), PostgresFacts.FULL_UPDATE_ROWS_PER_SECOND);
        PgContext.Approach approach = ctx.choose("one UPDATE of every row", "every write to existing rows of " + op.table(), fullUpdate);
        long rows = profile.approximateRows();

        // down, in order: drop the trigger (so that nothing recomputes the column), put the old values back, drop the side table
        List<Step> undoExpand = new ArrayList<>();
        undoExpand.add(Step.builder(ctx.stepId(op, slug, "undo_trigger"), Phase.EXPAND, Step.Kind.SCHEMA)
                .summary("Drop the trigger that computes " + op.column())
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), filler.dropTrigger()))
                .lock(instant(op, PgLock.ACCESS_EXCLUSIVE))
                .estimate(Duration.ofMillis(50))
                .effects(filler.dropEffects())
                .ifInterrupted("Nothing is changed: the step is one transaction. Run it again.")
                .build());
        if (keep) {
            PgKeysetBackfill restore = new PgKeysetBackfill(ctx.migration().name(), ctx.stepId(op, slug, "restore"), op.table(), key,
                    filler.restoreSet(), filler.restoreNeeded(), op.batching(), ctx.lockPolicy());
            Step.Builder restoreStep = Step.builder(ctx.stepId(op, slug, "restore"), Phase.EXPAND,
                            approach.direct() ? Step.Kind.DATA : Step.Kind.BACKFILL)
                    .summary("Put back the values of " + op.column() + " kept in " + filler.side())
                    .guard("SELECT to_regclass(" + PgSql.literal(filler.sideSql()) + ") IS NOT NULL")
                    .ifInterrupted(approach.direct() ? "Nothing is changed: the UPDATE is one transaction. Run it again."
                            : "Batches committed so far stay restored; running the step again resumes after the last one.");
            if (approach.direct()) {
                restoreStep.statement(filler.restoreAll())
                        .lock(new LockClaim(op.table().value(), PgLock.ROW_EXCLUSIVE, TableWork.FULL_UPDATE,
                                new LockDuration.ProportionalToRows(rows, fullUpdate)))
                        .estimate(fullUpdate);
            } else {
                restoreStep.execution(Execution.OUTSIDE_TRANSACTION)
                        .statements(restore.statements())
                        .lock(new LockClaim(op.table().value(), PgLock.ROW_EXCLUSIVE, TableWork.BATCH_UPDATE,
                                new LockDuration.PerBatch(op.batching().size(),
                                        PostgresFacts.forRows(op.batching().size(), PostgresFacts.BACKFILL_ROWS_PER_SECOND))))
                        .estimate(PostgresFacts.forRows(rows, PostgresFacts.BACKFILL_ROWS_PER_SECOND));
            }
            undoExpand.add(restoreStep.build());
            undoExpand.add(Step.builder(ctx.stepId(op, slug, "undo_keep"), Phase.EXPAND, Step.Kind.SCHEMA)
                    .summary("Drop " + filler.side() + ", whose values are back in place")
                    .statement("DROP TABLE IF EXISTS " + filler.sideSql())
                    .statement(restore.forgetProgress())
                    .ifInterrupted("Nothing is changed: the step is one transaction. Run it again.")
                    .build());
        }

        Step expand = Step.builder(ctx.stepId(op, slug, "expand"), Phase.EXPAND, Step.Kind.SCHEMA)
                .summary("Create the trigger that computes " + op.column() + " on " + op.table()
                        + (keep ? ", and " + filler.side() + " for the values it replaces" : ""))
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), filler.create()))
                .lock(instant(op, PgLock.SHARE_ROW_EXCLUSIVE))
                .estimate(Duration.ofMillis(50))
                .effects(filler.createEffects())
                .inverse(new Inverse.Steps(undoExpand, java.util.Optional.empty()))
                .ifInterrupted("Nothing is changed: the trigger" + (keep ? " and the side table are" : " is") + " created in one "
                        + "transaction, retried on lock timeout. Run the script again.")
                .build();

        String lost = "the values of " + op.column() + " that the backfill and the trigger replaced are lost: " + op.column()
                + " keeps the computed values (no rollback period was asked for, so the old ones were not kept).";
        PgKeysetBackfill backfill = new PgKeysetBackfill(ctx.migration().name(), ctx.stepId(op, slug, "backfill"), op.table(), key,
                PgSql.quote(op.column()) + " = " + filler.value(), filler.differs(PgKeysetBackfill.ROW + "."), op.batching(),
                ctx.lockPolicy());
        Step backfillStep;
        if (approach.direct()) {
            backfillStep = Step.builder(ctx.stepId(op, slug, "backfill"), Phase.BACKFILL, Step.Kind.DATA)
                    .summary("Fill " + op.column() + " in one UPDATE")
                    .statement("UPDATE " + PgSql.quote(op.table()) + " SET " + PgSql.quote(op.column()) + " = " + filler.value()
                            + " WHERE " + filler.differs(""))
                    .lock(new LockClaim(op.table().value(), PgLock.ROW_EXCLUSIVE, TableWork.FULL_UPDATE,
                            new LockDuration.ProportionalToRows(rows, fullUpdate)))
                    .estimate(fullUpdate)
                    .inverse(keep ? Inverse.nothing() : Inverse.lossy(lost))
                    .ifInterrupted("Nothing is changed: the UPDATE is one transaction and rolls back whole. Run the script again.")
                    .build();
        } else {
            Duration perBatch = PostgresFacts.forRows(op.batching().size(), PostgresFacts.BACKFILL_ROWS_PER_SECOND);
            long batches = Math.max(1, (rows + op.batching().size() - 1) / op.batching().size());
            Duration total = PostgresFacts.forRows(rows, PostgresFacts.BACKFILL_ROWS_PER_SECOND)
                    .plus(op.batching().pause().multipliedBy(batches));
            Step forget = Step.builder(ctx.stepId(op, slug, "undo_backfill"), Phase.BACKFILL, Step.Kind.SCHEMA)
                    .summary("Forget the backfill's progress, so that a new up script fills the column again")
                    .statement(backfill.forgetProgress())
                    .build();
            backfillStep = Step.builder(ctx.stepId(op, slug, "backfill"), Phase.BACKFILL, Step.Kind.BACKFILL)
                    .summary("Backfill " + op.column() + " in batches of " + String.format("%,d", op.batching().size()))
                    .execution(Execution.OUTSIDE_TRANSACTION)
                    .statements(backfill.statements())
                    .lock(new LockClaim(op.table().value(), PgLock.ROW_EXCLUSIVE, TableWork.BATCH_UPDATE,
                            new LockDuration.PerBatch(op.batching().size(), perBatch)))
                    .estimate(total)
                    .inverse(keep ? Inverse.steps(forget) : Inverse.lossy(lost, forget))
                    .ifInterrupted("Batches committed so far stay done; rows written since are computed by the trigger; running "
                            + "the step again resumes after the last committed batch (see " + PgKeysetBackfill.PROGRESS_TABLE + ").")
                    .build();
        }

        Step contract = Step.builder(ctx.stepId(op, slug, "contract"), Phase.CONTRACT, Step.Kind.SCHEMA)
                .summary("Drop the trigger that computes " + op.column() + (keep ? " and the kept old values" : ""))
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), filler.dropAll()))
                .lock(instant(op, PgLock.ACCESS_EXCLUSIVE))
                .estimate(Duration.ofMillis(50))
                .effects(filler.dropEffects())
                .inverse(Inverse.irreversible(keep
                        ? "the old values of " + op.column() + " kept for the rollback period are dropped with " + filler.side()
                        + ", and the column is no longer computed on writes."
                        : op.column() + " is no longer computed on writes; recreating the trigger would not correct rows written in "
                        + "between."))
                .ifInterrupted("Nothing is changed: the step is one transaction. Run it again.")
                .build();

        CompiledOperation.Builder out = CompiledOperation.builder(op, strategy(op, ctx, approach, profile, filler, keep));
        out.step(expand).step(backfillStep).step(contract);
        verifications(op, filler, backfill, approach, keep).forEach(out::verify);
        preChecks(op, table, column, filler).forEach(out::preCheck);
        hazards(op, profile, approach, filler, keep).forEach(out::hazard);
        if (!approach.direct()) {
            out.monitor(Monitor.query("Backfill progress of " + op.table() + "." + op.column(), backfill.progressQuery(),
                    "rows_per_second falling, or updated_at no longer moving while the step runs (it is waiting on locks)"));
            out.abortWhen(new AbortCriterion("replication lag or application latency rises beyond your limit during the backfill",
                    "cancel the backfill (pg_cancel_backend on its pid); committed batches stay done. Re-run it later with a smaller "
                            + "batch (batched(…)): it resumes where it stopped"));
        }
        appChanges(op, filler).forEach(out::appChange);
        notes(op, filler, keep).forEach(out::note);
        return out.build();
    }

    /** Everything that depends on the expression: the trigger, the comparisons, the side table. */
    private record Filler(BackfillColumn op, Table table, Column column, List<Column> key, String sideName) {

        boolean keep() {
            return sideName != null;
        }

        /** {@code (expression)}: evaluated over the row, its columns unqualified. */
        String value() {
            return "(" + op.value().sql() + ")";
        }

        /** The expression cast to the column's type: what the column holds once filled. */
        String typed() {
            return "CAST(" + value() + " AS " + column.type().sql() + ")";
        }

        /** True for rows whose column differs from the expression; {@code prefix} qualifies the column ({@code zd_row.}). */
        String differs(String prefix) {
            return prefix + PgSql.quote(op.column()) + " IS DISTINCT FROM " + typed();
        }

        /** The columns whose writes make the trigger compute the column again: those the expression reads, and the column. */
        List<ColumnName> firedBy() {
            Set<ColumnName> columns = new LinkedHashSet<>(op.readColumns(table));
            columns.add(op.column());
            return List.copyOf(columns);
        }

        String triggerName() {
            return PostgresBackfillColumn.triggerName(op);
        }

        String side() {
            return SIDE_SCHEMA + "." + sideName;
        }

        String sideSql() {
            return PgSql.quote(SIDE_SCHEMA) + "." + PgSql.quote(sideName);
        }

        /** The side table's column for the old value: a name none of the key columns has. */
        String oldValueColumn() {
            String name = "zd_old_value";
            while (true) {
                String candidate = name;
                if (key.stream().noneMatch(k -> k.name().value().equals(candidate))) {
                    return name;
                }
                name = name + "_";
            }
        }

        String keyList(String prefix) {
            return key.stream().map(k -> prefix + PgSql.quote(k.name())).collect(Collectors.joining(", "));
        }

        /** The expand step's statements: side table and keeping function (if kept), trigger function, trigger. */
        List<String> create() {
            List<String> sql = new ArrayList<>();
            if (keep()) {
                sql.add("CREATE SCHEMA IF NOT EXISTS " + PgSql.quote(SIDE_SCHEMA));
                sql.add("CREATE TABLE IF NOT EXISTS " + sideSql() + " (" + key.stream()
                        .map(k -> PgSql.quote(k.name()) + " " + k.type().sql() + " NOT NULL").collect(Collectors.joining(", "))
                        + ", " + PgSql.quote(oldValueColumn()) + " " + column.type().sql() + ", PRIMARY KEY (" + keyList("") + "))");
                sql.add(keepFunction());
            }
            sql.add(function());
            sql.add("IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = " + PgSql.regclass(op.table()) + " AND tgname = "
                    + PgSql.literal(triggerName()) + ") THEN\n"
                    + "  CREATE TRIGGER " + PgSql.quote(triggerName()) + " BEFORE INSERT OR UPDATE OF "
                    + PgSql.quoteAll(firedBy()) + " ON " + PgSql.quote(op.table()) + " FOR EACH ROW EXECUTE FUNCTION "
                    + PgSql.quote(triggerName()) + "();\n"
                    + "END IF");
            return sql;
        }

        String keepName() {
            return PgNames.derived("zd_keep", op.table().value(), op.column().value());
        }

        String keepSignature() {
            return PgSql.quote(keepName()) + "(" + key.stream().map(k -> k.type().sql()).collect(Collectors.joining(", ")) + ")";
        }

        /**
         * Copies a row's current value into the side table unless it is there already: the only code that runs with its
         * owner's rights, so that the application's roles need no grant on the zerodown schema. It takes only the key and
         * reads the value itself, so a caller can only ever save a row's true current value; its search path is pinned to
         * pg_catalog and pg_temp (last), and the table is named with its schema, as SECURITY DEFINER functions must. Built
         * with format(), since the table's schema is known only on the server.
         */
        String keepFunction() {
            List<String> args = new ArrayList<>();
            StringBuilder parameters = new StringBuilder();
            for (int i = 0; i < key.size(); i++) {
                parameters.append(i == 0 ? "" : ", ").append(key.get(i).type().sql());
            }
            StringBuilder keys = new StringBuilder();
            StringBuilder positions = new StringBuilder();
            for (int i = 0; i < key.size(); i++) {
                keys.append(i == 0 ? "" : ", ").append("%I");
                positions.append(i == 0 ? "" : ", ").append("$").append(i + 1);
                args.add(PgSql.literal(key.get(i).name().value()));
            }
            String keyArgs = String.join(", ", args);
            String body = "INSERT INTO " + sideSql().replace("%", "%%") + " (" + keys + ", " + PgSql.quote(oldValueColumn()).replace("%", "%%")
                    + ") SELECT " + keys + ", %I FROM %s.%I WHERE (" + keys + ") = (" + positions + ") ON CONFLICT DO NOTHING";
            String create = "CREATE OR REPLACE FUNCTION %I(" + parameters + ") RETURNS void LANGUAGE sql SECURITY DEFINER "
                    + "SET search_path = pg_catalog, pg_temp AS " + PgSql.dollarQuote(body, "keep");
            return "EXECUTE format(" + PgSql.literal(create) + ",\n  " + PgSql.literal(keepName()) + ", " + keyArgs + ", " + keyArgs + ", "
                    + PgSql.literal(op.column().value()) + ",\n  (SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = "
                    + PgSql.regclass(op.table()) + "), " + PgSql.literal(op.table().value()) + ", " + keyArgs + ")";
        }

        /**
         * The trigger function. The expression is evaluated over {@code (SELECT NEW.*) AS zd_row}, the
         * same scope as in the backfill's UPDATE, so both compute the same value; column names win over
         * PL/pgSQL variables. The search path is pinned to the migration's, so the expression's
         * functions resolve alike whoever writes. It runs with the writer's rights, like any trigger;
         * only the keeping of old values (a separate function) runs with its owner's.
         */
        String function() {
            StringBuilder body = new StringBuilder("\n#variable_conflict use_column\nDECLARE\n");
            body.append("  zd_value ").append(column.type().sql()).append(";\nBEGIN\n");
            body.append("  SELECT ").append(value()).append(" INTO zd_value FROM (SELECT NEW.*) AS zd_row;\n");
            if (keep()) {
                body.append("  IF TG_OP = 'UPDATE' AND zd_value IS DISTINCT FROM OLD.").append(PgSql.quote(op.column())).append(" THEN\n");
                body.append("    -- keep the value the row had before the migration first changed it\n");
                body.append("    PERFORM ").append(PgSql.quote(keepName())).append("(").append(keyList("OLD.")).append(");\n");
                body.append("  END IF;\n");
            }
            body.append("  NEW.").append(PgSql.quote(op.column())).append(" := zd_value;\n");
            body.append("  RETURN NEW;\nEND\n");
            return "CREATE OR REPLACE FUNCTION " + PgSql.quote(triggerName()) + "() RETURNS trigger LANGUAGE plpgsql"
                    + " SET search_path FROM CURRENT AS " + PgSql.dollarQuote(body.toString(), "function");
        }

        List<String> dropTrigger() {
            List<String> sql = new ArrayList<>(List.of("DROP TRIGGER IF EXISTS " + PgSql.quote(triggerName()) + " ON " + PgSql.quote(op.table()),
                    "DROP FUNCTION IF EXISTS " + PgSql.quote(triggerName()) + "()"));
            if (keep()) {
                sql.add("DROP FUNCTION IF EXISTS " + keepSignature());
            }
            return sql;
        }

        List<String> dropAll() {
            List<String> sql = new ArrayList<>(dropTrigger());
            if (keep()) {
                sql.add("DROP TABLE IF EXISTS " + sideSql());
            }
            return sql;
        }

        List<SchemaChange> createEffects() {
            List<SchemaChange> effects = new ArrayList<>();
            if (keep()) {
                effects.add(new SchemaChange.AddFunction(io.zerodown.model.FunctionName.of(keepName())));
            }
            effects.add(new SchemaChange.AddFunction(io.zerodown.model.FunctionName.of(triggerName())));
            effects.add(new SchemaChange.AddTrigger(op.table(), new Trigger(io.zerodown.model.TriggerName.of(triggerName()),
                    io.zerodown.model.FunctionName.of(triggerName()))));
            return effects;
        }

        List<SchemaChange> dropEffects() {
            List<SchemaChange> effects = new ArrayList<>();
            effects.add(new SchemaChange.DropTrigger(op.table(), io.zerodown.model.TriggerName.of(triggerName())));
            effects.add(new SchemaChange.DropFunction(io.zerodown.model.FunctionName.of(triggerName())));
            if (keep()) {
                effects.add(new SchemaChange.DropFunction(io.zerodown.model.FunctionName.of(keepName())));
            }
            return effects;
        }

        private String matchesKept() {
            return "(" + keyList("zd_old.") + ") = (" + keyList(PgKeysetBackfill.ROW + ".") + ")";
        }

        /** The restore's SET: the kept value of the row. */
        String restoreSet() {
            return PgSql.quote(op.column()) + " = (SELECT zd_old." + PgSql.quote(oldValueColumn()) + " FROM " + sideSql()
                    + " AS zd_old WHERE " + matchesKept() + ")";
        }

        /** The restore's condition: the row has a kept value that differs from its current one. */
        String restoreNeeded() {
            return "EXISTS (SELECT FROM " + sideSql() + " AS zd_old WHERE " + matchesKept() + " AND zd_old."
                    + PgSql.quote(oldValueColumn()) + " IS DISTINCT FROM " + PgKeysetBackfill.ROW + "." + PgSql.quote(op.column()) + ")";
        }

        /** The restore as one UPDATE (direct approach). */
        String restoreAll() {
            return "UPDATE " + PgSql.quote(op.table()) + " AS " + PgKeysetBackfill.ROW + " SET " + PgSql.quote(op.column()) + " = zd_old."
                    + PgSql.quote(oldValueColumn()) + "\nFROM " + sideSql() + " AS zd_old\nWHERE " + matchesKept() + " AND zd_old."
                    + PgSql.quote(oldValueColumn()) + " IS DISTINCT FROM " + PgKeysetBackfill.ROW + "." + PgSql.quote(op.column());
        }

        boolean readsItself() {
            return op.readsItself(table);
        }

        boolean deterministic() {
            return PostgresBackfillColumn.deterministic(op);
        }
    }

    private static Strategy strategy(BackfillColumn op, PgContext ctx, PgContext.Approach approach, TableProfile profile,
                                     Filler filler, boolean keep) {
        List<Technique> techniques = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        reasons.add("Backfill " + op.table() + "." + op.column() + ": " + approach.reason());
        techniques.add(approach.direct() ? Technique.DIRECT : Technique.EXPAND_CONTRACT);
        if (approach.direct() && ctx.migration().downtime() instanceof DowntimeTolerance.MaintenanceWindow) {
            techniques.add(Technique.MAINTENANCE_WINDOW);
        }
        techniques.add(Technique.SYNC_TRIGGER);
        reasons.add("Until the contract phase a trigger computes " + op.column() + " on every INSERT and on every UPDATE of "
                + filler.firedBy().stream().map(ColumnName::value).collect(Collectors.joining(", "))
                + ": a row that code unaware of the column writes after its batch ran cannot be left stale, so the result is exact "
                + "whatever runs during the backfill.");
        if (!approach.direct()) {
            techniques.add(Technique.BATCHED_DML);
            reasons.add("Backfill in committed batches of " + String.format("%,d", op.batching().size())
                    + " rows walking the primary key, writing only rows whose value differs: each batch locks only its own rows "
                    + "for about " + Durations.human(PostgresFacts.forRows(op.batching().size(), PostgresFacts.BACKFILL_ROWS_PER_SECOND))
                    + ", and the job resumes where it stopped. One UPDATE of all " + String.format("%,d", profile.approximateRows())
                    + " rows would instead hold every row lock until it ends, blocking every writer of those rows.");
        }
        reasons.add(keep ? "The values it replaces are kept in " + filler.side() + " for the rollback period, so the down script "
                + "can put them back; the contract phase drops them."
                : "No rollback period was asked for: the values it replaces are not kept, and the down script cannot restore them.");
        return new Strategy(techniques, reasons);
    }

    private static List<Check> verifications(BackfillColumn op, Filler filler, PgKeysetBackfill backfill,
                                             PgContext.Approach approach, boolean keep) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("The trigger that computes " + op.column() + " exists and is enabled.",
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = " + PgSql.regclass(op.table()) + " AND tgname = "
                        + PgSql.literal(filler.triggerName()) + " AND tgenabled = 'O'",
                Expectation.count(1), "run the up script again; if the trigger exists but is disabled, enable it."));
        if (!approach.direct()) {
            checks.add(new Check("The backfill finished.", backfill.finishedQuery(), Expectation.count(1),
                    "run the up script again: the backfill resumes where it stopped."));
        }
        if (filler.deterministic()) {
            checks.add(new Check("Every row's " + op.column() + " equals " + op.value().source() + ".",
                    "SELECT count(*) FROM " + PgSql.quote(op.table()) + " WHERE " + filler.differs(""),
                    Expectation.count(0), "some rows were written in a way the trigger did not see (triggers disabled, "
                    + "session_replication_role = replica): run the up script again, whose backfill then writes them."));
        } else {
            checks.add(new Check("No row's " + op.column() + " is NULL where " + op.value().source() + " is not (the expression "
                            + "changes from call to call, so values are compared for presence only).",
                    "SELECT count(*) FROM " + PgSql.quote(op.table()) + " WHERE " + PgSql.quote(op.column()) + " IS NULL AND "
                            + filler.value() + " IS NOT NULL",
                    Expectation.count(0), "run the up script again."));
        }
        if (keep) {
            checks.add(new Check("The table keeping the replaced values exists.",
                    "SELECT count(*) FROM pg_class WHERE oid = to_regclass(" + PgSql.literal(filler.sideSql()) + ")",
                    Expectation.count(1), "run the up script again."));
        }
        return checks;
    }

    private static List<Check> preChecks(BackfillColumn op, Table table, Column column, Filler filler) {
        List<Check> checks = new ArrayList<>();
        String t = PgSql.quote(op.table()) + " AS " + PgKeysetBackfill.ROW;
        checks.add(new Check("The expression evaluates on " + op.table() + "'s rows and converts to " + column.type().sql()
                        + " (on a sample of " + String.format("%,d", SAMPLE_ROWS) + " rows).",
                "SELECT count(zd_value) >= 0 FROM (SELECT " + filler.typed() + " AS zd_value FROM " + t + " LIMIT " + SAMPLE_ROWS
                        + ") AS zd_sample",
                Expectation.isTrue(), "fix the expression: the error the query raises says what is wrong (a type, a missing "
                + "function, a division by zero)."));
        if (Set.of("character varying", "character").contains(column.type().name()) && !column.type().modifiers().isEmpty()) {
            checks.add(new Check("Every computed value fits " + column.type().sql() + ".",
                    "SELECT count(*) FROM " + t + " WHERE length(" + filler.value() + "::text) > " + column.type().modifiers().get(0),
                    Expectation.count(0), "widen the column or change the expression: the backfill would fail on these rows with "
                    + "\"value too long\"."));
        }
        if (filler.readsItself() && filler.deterministic()) {
            String twice = "SELECT count(*) FROM (SELECT " + op.readColumns(table).stream()
                    .filter(c -> !c.equals(op.column())).map(c -> PgSql.quote(c) + ", ").collect(Collectors.joining())
                    + filler.typed() + " AS " + PgSql.quote(op.column()) + " FROM " + t + " LIMIT " + SAMPLE_ROWS + ") AS "
                    + PgKeysetBackfill.ROW + "\nWHERE " + filler.differs(PgKeysetBackfill.ROW + ".");
            checks.add(new Check("Applied twice, the expression gives what it gives once (it reads " + op.column() + " itself, and "
                            + "writes of " + op.column() + " pass through it until the contract phase; on a sample of "
                            + String.format("%,d", SAMPLE_ROWS) + " rows).",
                    twice, Expectation.count(0), "the expression transforms the value instead of filling it (like price * 100): "
                    + "every later write of " + op.column() + " would be transformed again. Fill a new column instead, or use "
                    + "changeType(…).using(…)."));
        }
        if (uniqueAlone(table, op.column())) {
            checks.add(new Check("The computed values are unique (" + op.column() + " has a unique constraint or index).",
                    "SELECT count(*) FROM (SELECT " + filler.typed() + " AS v FROM " + t + ") AS zd_values\n"
                            + "WHERE v IS NOT NULL GROUP BY v HAVING count(*) > 1",
                    Expectation.noRows(), "the backfill would fail on a duplicate: change the expression or clean the data first."));
        }
        checks.add(PgSyncTrigger.noOtherTriggerNaming(op.table(), filler.triggerName(), List.of(op.column()), "the trigger that computes it"));
        return checks;
    }

    private static boolean uniqueAlone(Table table, ColumnName column) {
        boolean constraint = table.constraints().stream().anyMatch(c -> (c instanceof Constraint.Unique || c instanceof Constraint.PrimaryKey)
                && c.columns().equals(List.of(column)));
        boolean index = table.indexes().stream().anyMatch(i -> i.unique() && i.predicate().isEmpty()
                && i.elements().equals(List.of(new Index.Element.OfColumn(column, false))));
        return constraint || index;
    }

    private static List<Hazard> hazards(BackfillColumn op, TableProfile profile, PgContext.Approach approach, Filler filler,
                                        boolean keep) {
        List<Hazard> hazards = new ArrayList<>();
        if (!approach.direct() && profile.isLarge()) {
            hazards.add(new Hazard(RiskLevel.MEDIUM, "Backfill load on a large table",
                    "The backfill may rewrite up to " + String.format("%,d", profile.approximateRows()) + " rows: it writes WAL as "
                            + "fast as it runs (replication lag), leaves one dead row version per row written (bloat until "
                            + "autovacuum catches up), and competes with the application for I/O.",
                    "Only rows whose value differs are written; batches of " + String.format("%,d", op.batching().size())
                            + " are committed one by one. Watch replication lag and latency and cancel it if they exceed your "
                            + "limits: it resumes where it stopped."));
        }
        hazards.add(new Hazard(RiskLevel.LOW, op.column() + " is computed on every write until the contract phase",
                "Every INSERT, and every UPDATE of " + filler.firedBy().stream().map(ColumnName::value).collect(Collectors.joining(", "))
                        + ", runs a small PL/pgSQL function that evaluates the expression (one query per row); a value the "
                        + "application writes into " + op.column() + " meanwhile is replaced by the expression's.",
                "The contract phase removes the trigger; from then on " + op.column() + " is the application's to write."));
        hazards.add(PgSyncTrigger.unseenWrites(op.table(), "computed", "the verification queries find such rows"));
        if (!filler.deterministic()) {
            hazards.add(new Hazard(RiskLevel.LOW, "The expression changes from call to call",
                    op.value().source() + " gives a different value per row, statement or transaction (random numbers, clock "
                            + "time, sequences): each batch computes its own values, and every later write recomputes them.",
                    "Use a deterministic expression if rows must agree (e.g. a fixed timestamp literal instead of now())."));
        }
        if (keep) {
            hazards.add(new Hazard(RiskLevel.LOW, "Kept values take space",
                    "Each row the migration changes gets a row in " + filler.side() + " (its key and its old value) until the "
                            + "contract phase.",
                    "The contract phase drops the table after the rollback period."));
        }
        return hazards;
    }

    private static List<AppChange> appChanges(BackfillColumn op, Filler filler) {
        List<AppChange> changes = new ArrayList<>();
        changes.add(AppChange.before(Phase.EXPAND, "Nothing: deploy no change before the up script.",
                "Old code keeps working: the trigger computes " + op.column() + " on its writes."));
        changes.add(AppChange.after(Phase.BACKFILL, "Code may rely on " + op.column() + " holding " + op.value().source()
                        + " for every row.",
                "Until the contract phase, values the application writes into " + op.column() + " are replaced by the "
                        + "expression's."));
        changes.add(AppChange.before(Phase.CONTRACT, "If " + op.column() + " must keep following " + op.value().source()
                        + ", deploy code that writes it on every insert and on every update of "
                        + op.readColumns(filler.table()).stream().map(ColumnName::value).filter(c -> !c.equals(op.column().value()))
                        .collect(Collectors.collectingAndThen(Collectors.joining(", "), s -> s.isEmpty() ? "the row" : s))
                        + " (or make it a generated column).",
                "After the contract phase nothing computes " + op.column() + " any more: rows written by code that does not set "
                        + "it get its default."));
        return changes;
    }

    private static List<String> notes(BackfillColumn op, Filler filler, boolean keep) {
        List<String> notes = new ArrayList<>();
        notes.add("Only rows whose " + op.column() + " IS DISTINCT FROM the expression (cast to " + filler.column().type().sql()
                + ") are written: rows that already hold the value are not rewritten (no dead row version, no WAL"
                + (keep ? ", no kept copy" : "") + "), so a resumed or repeated run costs only reads, and NULLs compare as values "
                + "(a NULL that should become a value is written; a NULL that should stay NULL is not).");
        notes.add("The expression is evaluated over the row both in the backfill's UPDATE and in the trigger (as (SELECT NEW.*) AS "
                + "zd_row), with the migration's search_path pinned on the trigger function: both compute the same value.");
        notes.add(keep ? "The value each row had before the migration first changed it is kept in " + filler.side() + " (primary key "
                + "and old value), written by the trigger in the same transaction as the change, so in the backfill's own batches, "
                + "through " + filler.keepName() + ", a function that runs with its owner's rights (so writers need no grant on the "
                + "zerodown schema) and only ever copies a row's current value. "
                + "The down script drops the trigger, then puts the kept values back (in batches when the backfill was batched) and "
                + "drops the table; rows inserted after the up script keep their computed value, having no older one."
                : "The values the backfill and the trigger replace are not kept (the migration is one-way): the down script only "
                + "drops the trigger, and " + op.column() + " keeps the computed values. Ask for a rollback period "
                + "(RollbackRequirement.reversibleFor) to keep them.");
        if (!filler.deterministic()) {
            notes.add("The expression is not deterministic, so the verification checks only that every row has a value.");
        }
        notes.add("The backfill records its progress in " + PgKeysetBackfill.PROGRESS_TABLE
                + " (created if missing, in a schema of its own); the down script clears its row.");
        return notes;
    }

    static String triggerName(BackfillColumn op) {
        return PgNames.derived("zd_fill", op.table().value(), op.column().value());
    }

    private static String sideTable(BackfillColumn op, PgContext ctx) {
        return PgNames.derived("zd_old", ctx.migration().name(), op.table().value(), op.column().value());
    }

    /** Whether the expression calls nothing whose value changes between calls (random(), now(), nextval(), …). */
    static boolean deterministic(BackfillColumn op) {
        AtomicBoolean found = new AtomicBoolean();
        try {
            CCJSqlParserUtil.parseExpression(op.value().source(), false).accept(new ExpressionVisitorAdapter<Void>() {
                @Override
                public <S> Void visit(Function function, S context) {
                    String name = function.getName().toLowerCase(Locale.ROOT);
                    name = name.substring(name.lastIndexOf('.') + 1);
                    if (NON_DETERMINISTIC.contains(name)) {
                        found.set(true);
                    }
                    return super.visit(function, context);
                }

                @Override
                public <S> Void visit(TimeKeyExpression expression, S context) {
                    found.set(true);
                    return null;
                }

                @Override
                public <S> Void visit(NextValExpression expression, S context) {
                    found.set(true);
                    return null;
                }

                @Override
                public <S> Void visit(net.sf.jsqlparser.schema.Column column, S context) {
                    String name = column.getColumnName().toLowerCase(Locale.ROOT);
                    if (column.getTable() == null && (name.equals("localtime") || name.equals("localtimestamp"))) {
                        found.set(true);
                    }
                    return null;
                }
            }, null);
        } catch (JSQLParserException | RuntimeException e) {
            return false;
        }
        return !found.get();
    }

    private static List<Column> keyColumns(Table table) {
        return table.primaryKey().orElseThrow().columns().stream().map(c -> table.column(c).orElseThrow()).toList();
    }

    private static LockClaim instant(BackfillColumn op, PgLock mode) {
        return new LockClaim(op.table().value(), mode, TableWork.NONE, LockDuration.instant());
    }
}
