package io.zerodown.postgres;

import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.TableName;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.operation.AddPrimaryKey;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Table;
import io.zerodown.plan.AbortCriterion;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Check;
import io.zerodown.plan.Expectation;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.LockDuration;
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
import java.util.stream.Collectors;

/**
 * Adds a PRIMARY KEY on PostgreSQL.
 *
 * <p>Online:
 * <ol>
 *   <li>for each key column that allows NULL, {@code CHECK (c IS NOT NULL) NOT VALID} (ACCESS
 *       EXCLUSIVE, milliseconds), then {@code VALIDATE CONSTRAINT} (SHARE UPDATE EXCLUSIVE: the
 *       scan blocks neither reads nor writes);</li>
 *   <li>{@code CREATE UNIQUE INDEX CONCURRENTLY} under the key's name, with the repair and
 *       validity checks of {@link PostgresCreateIndex};</li>
 *   <li>in one short transaction: {@code SET NOT NULL} (no scan: the valid checks prove it),
 *       {@code ADD CONSTRAINT n PRIMARY KEY USING INDEX n} (nothing left to verify), and the
 *       checks dropped.</li>
 * </ol>
 * Without the checks, ADD PRIMARY KEY would run SET NOT NULL itself and scan the whole table under
 * ACCESS EXCLUSIVE.
 *
 * <p>Direct (development database, or a window it fits in): {@code ALTER TABLE … ADD CONSTRAINT n
 * PRIMARY KEY (…)}, which scans for NULLs and builds the index while holding ACCESS EXCLUSIVE.
 */
final class PostgresAddPrimaryKey implements PgCompiler<AddPrimaryKey> {

    @Override
    public List<String> problems(AddPrimaryKey op, PgContext ctx) {
        return PgKeys.problems(ctx, op.table(), op.resolvedName(), op.columns(), "primary key");
    }

    @Override
    public CompiledOperation compile(AddPrimaryKey op, PgContext ctx) {
        ConstraintName name = op.resolvedName();
        TableName table = op.table();
        Table before = ctx.schema().requireTable(table);
        List<Column> nullable = op.columns().stream().map(c -> before.column(c).orElseThrow()).filter(Column::nullable).toList();
        Index index = PgKeys.index(table, name, op.columns());
        String slug = "pkey_" + PgContext.slug(name.value());
        long rows = ctx.profile(table).approximateRows();
        Duration plainBuild = PostgresFacts.forRows(rows, PostgresFacts.INDEX_BUILD_ROWS_PER_SECOND);
        Duration scan = PostgresFacts.forRows(rows, PostgresFacts.SCAN_ROWS_PER_SECOND);
        Duration direct = nullable.isEmpty() ? plainBuild : plainBuild.plus(scan);
        PgContext.Approach approach = ctx.choose("ALTER TABLE … ADD PRIMARY KEY, which " + (nullable.isEmpty() ? "" : "checks every row "
                + "for NULLs and ") + "builds the index under ACCESS EXCLUSIVE", "reads and writes of " + table, direct);
        String pkExists = PgKeys.constraintExists(table, name, Optional.of('p'));

        CompiledOperation.Builder out = CompiledOperation.builder(op, strategy(op, ctx, approach, nullable));
        Step undoKey = Step.builder(ctx.stepId(op, slug, "undo_attach"), Phase.BUILD, Step.Kind.SCHEMA)
                .summary("Drop the primary key " + name + (nullable.isEmpty() ? "" : " and allow NULL again in " + names(nullable)))
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), undoKeySql(table, name, nullable)))
                .lock(PostgresAddUnique.exclusive(table, TableWork.NONE, LockDuration.instant()))
                .effect(new SchemaChange.DropConstraint(table, name))
                .effects(nullable.stream().map(c -> new SchemaChange.AlterColumn(table, c)).toList())
                .ifInterrupted("Nothing is changed: the step is one transaction. Run it again. It fails while a foreign key "
                        + "references the primary key: drop that foreign key first.")
                .build();
        List<SchemaChange> keyEffects = new ArrayList<>();
        nullable.forEach(c -> keyEffects.add(new SchemaChange.AlterColumn(table, c.withNullable(false))));
        if (approach.direct()) {
            out.step(Step.builder(ctx.stepId(op, slug, "add"), Phase.BUILD, Step.Kind.SCHEMA)
                    .summary("Add the primary key " + name + " on " + table + " (" + PgKeys.names(op.columns()) + ")"
                            + (nullable.isEmpty() ? "" : ", checking for NULLs") + " and building its index under ACCESS EXCLUSIVE")
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of("IF NOT " + pkExists + " THEN\n  ALTER TABLE " + PgSql.quote(table)
                            + " ADD CONSTRAINT " + PgSql.quote(name) + " PRIMARY KEY (" + PgKeys.quotedList(op.columns()) + ");\nEND IF")))
                    .lock(PostgresAddUnique.exclusive(table, TableWork.INDEX_BUILD, new LockDuration.ProportionalToRows(rows, direct)))
                    .estimate(direct)
                    .effects(keyEffects)
                    .effect(new SchemaChange.AddConstraint(table, op.constraint()))
                    .inverse(Inverse.steps(undoKey))
                    .ifInterrupted("Nothing is changed: the statement rolls back whole. Run the script again.")
                    .build());
        } else {
            if (!nullable.isEmpty()) {
                notNullChecks(op, ctx, slug, nullable, pkExists, rows, scan).forEach(out::step);
            }
            PgConcurrentIndex concurrent = new PgConcurrentIndex(ctx, op, slug, index);
            out.step(concurrent.repair("repair"));
            out.step(concurrent.build("build", "Build the unique index " + name + " on " + table + " (" + PgKeys.names(op.columns())
                            + ") concurrently")
                    .inverse(Inverse.steps(PgKeys.dropOrphanIndex(ctx, op, slug, index)))
                    .build());
            List<String> attach = new ArrayList<>();
            String setNotNull = nullable.stream().map(c -> "ALTER COLUMN " + PgSql.quote(c.name()) + " SET NOT NULL")
                    .collect(Collectors.joining(", "));
            attach.add("IF NOT " + pkExists + " THEN\n  ALTER TABLE " + PgSql.quote(table) + " " + (setNotNull.isEmpty() ? "" : setNotNull + ", ")
                    + "ADD CONSTRAINT " + PgSql.quote(name) + " PRIMARY KEY USING INDEX " + PgSql.quote(index.name()) + ";\nEND IF");
            if (!nullable.isEmpty()) {
                attach.add(dropChecksSql(table, nullable));
            }
            List<SchemaChange> attachEffects = new ArrayList<>(keyEffects);
            attachEffects.add(new SchemaChange.DropIndex(table, index.name()));
            attachEffects.add(new SchemaChange.AddConstraint(table, op.constraint()));
            nullable.forEach(c -> attachEffects.add(new SchemaChange.DropConstraint(table, checkName(table, c.name()))));
            out.step(Step.builder(ctx.stepId(op, slug, "attach"), Phase.BUILD, Step.Kind.SCHEMA)
                    .summary(nullable.isEmpty() ? "Add the primary key " + name + " using the index"
                            : "Set " + names(nullable) + " NOT NULL (no scan), add the primary key " + name
                            + " using the index, and drop the NOT NULL checks")
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), attach))
                    .lock(PostgresAddUnique.exclusive(table, TableWork.NONE, LockDuration.instant()))
                    .estimate(Duration.ofMillis(50))
                    .effects(attachEffects)
                    .inverse(Inverse.steps(undoKey))
                    .ifInterrupted("Nothing is changed: the step is one transaction, retried on lock timeout. Run the script again.")
                    .build());
            PgConcurrentIndex.advice(out, ctx, "CREATE UNIQUE INDEX CONCURRENTLY");
            out.preCheck(PgConcurrentIndex.notPartitioned(table, "ADD PRIMARY KEY … USING INDEX"));
            out.hazard(PostgresAddUnique.duplicatesDuringBuild(name, op.columns()));
            out.abortWhen(new AbortCriterion("the build fails with \"could not create unique index " + name + "\" (Key … is duplicated)",
                    "the script stops and leaves " + name + " INVALID. Remove the duplicates (the pre-check's query finds them) and run "
                            + "the script again, which drops the INVALID index and builds it anew; or give up with the down script, which drops it."));
            if (!nullable.isEmpty()) {
                out.hazard(new Hazard(RiskLevel.LOW, "NULL writes rejected from the first step",
                        "As soon as the NOT VALID checks exist, an INSERT or UPDATE that leaves a NULL in " + names(nullable)
                                + " fails with check_violation (SQLSTATE 23514). VALIDATE CONSTRAINT then reads the whole table "
                                + "(I/O, no blocking).",
                        "Deploy code that always fills the key before running the script; the pre-check finds existing NULLs."));
                out.abortWhen(new AbortCriterion("VALIDATE CONSTRAINT fails with \"check constraint … is violated by some row\"",
                        "rows with a NULL key exist (written before the checks): fill or delete them, then run the script again; "
                                + "the checks stay NOT VALID until then, and the down script removes them."));
            }
        }
        out.preCheck(new Check("The table " + table + " has no primary key yet (on a re-run it has: expected).",
                "SELECT count(*) FROM pg_constraint WHERE conrelid = " + PgSql.regclass(table) + " AND contype = 'p'", Expectation.count(0),
                "the schema given to zerodown is out of date: compile again from the live schema."));
        out.preCheck(PgKeys.nameIsFree(name));
        out.preCheck(new Check("No two rows share a key (" + PgKeys.names(op.columns()) + ").",
                PostgresCreateIndex.duplicateQuery(PgConcurrentIndex.asCreateIndex(index), index), Expectation.count(0),
                "remove or merge the duplicates first; list them with the inner query."));
        if (!nullable.isEmpty()) {
            out.preCheck(new Check("No row has a NULL in " + names(nullable) + ".", PgKeys.nullsQuery(table, nullable), Expectation.count(0),
                    "fill or delete those rows first: a primary key column cannot be NULL."));
        }
        out.verify(PgKeys.verifyConstraint(table, name, op.columns(), 'p', "primary key"));
        out.verify(new Check("Every key column is NOT NULL.",
                "SELECT count(*) FROM pg_attribute WHERE attrelid = " + PgSql.regclass(table) + " AND attnotnull AND attname IN ("
                        + op.columns().stream().map(c -> PgSql.literal(c.value())).collect(Collectors.joining(", ")) + ")",
                Expectation.count(op.columns().size()), "run the up script again."));
        if (!nullable.isEmpty()) {
            out.verify(new Check("No helper NOT NULL check is left.",
                    "SELECT count(*) FROM pg_constraint WHERE conrelid = " + PgSql.regclass(table) + " AND conname IN ("
                            + nullable.stream().map(c -> PgSql.literal(checkName(table, c.name()).value())).collect(Collectors.joining(", ")) + ")",
                    Expectation.count(0), "run the up script again: its last step drops them."));
        }
        out.appChange(AppChange.before(Phase.BUILD, "Deploy code that always writes a non-NULL, unique " + PgKeys.names(op.columns()) + ".",
                "Old code keeps working as long as it does: a NULL key is rejected from the first step, a duplicate key from the "
                        + "moment the index is ready."));
        out.appChange(AppChange.after(Phase.BUILD, "Code and tools may rely on the primary key (ORM identity, ON CONFLICT ("
                        + PgKeys.names(op.columns()) + "), logical replication).",
                "Rolling the code back is safe: the key only rejects NULLs and duplicates."));
        if (!nullable.isEmpty() && !approach.direct()) {
            out.note("The key columns that allow NULL (" + names(nullable) + ") become NOT NULL through CHECK (… IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT (scans under SHARE "
                    + "UPDATE EXCLUSIVE, without blocking), then SET NOT NULL, which the valid check lets skip its scan; ADD PRIMARY KEY "
                    + "USING INDEX then has nothing left to verify, so its ACCESS EXCLUSIVE lasts milliseconds. The helper checks ("
                    + nullable.stream().map(c -> checkName(table, c.name()).value()).collect(Collectors.joining(", ")) + ") are dropped in the same step.");
        }
        if (!nullable.isEmpty()) {
            out.note("The down script drops the primary key and then allows NULL in " + names(nullable) + " again (PostgreSQL keeps NOT "
                    + "NULL when a primary key is dropped).");
        }
        out.note("A table published for logical replication with REPLICA IDENTITY DEFAULT uses the new primary key as its replica "
                + "identity from now on. The down script fails while a foreign key references the primary key; drop those first.");
        return out.build();
    }

    /** The NOT VALID checks, then their validation: two steps, so the scan runs without ACCESS EXCLUSIVE. */
    private static List<Step> notNullChecks(AddPrimaryKey op, PgContext ctx, String slug, List<Column> nullable, String pkExists,
                                            long rows, Duration scan) {
        TableName table = op.table();
        List<String> add = new ArrayList<>();
        List<String> validate = new ArrayList<>();
        List<SchemaChange> added = new ArrayList<>();
        List<SchemaChange> validated = new ArrayList<>();
        for (Column column : nullable) {
            ConstraintName check = checkName(table, column.name());
            add.add("IF NOT " + PgKeys.constraintExists(table, check, Optional.empty()) + " AND NOT " + pkExists + " THEN\n  ALTER TABLE "
                    + PgSql.quote(table) + " ADD CONSTRAINT " + PgSql.quote(check) + " CHECK (" + PgSql.quote(column.name())
                    + " IS NOT NULL) NOT VALID;\nEND IF");
            validate.add("IF EXISTS (SELECT FROM pg_constraint WHERE conrelid = " + PgSql.regclass(table) + " AND conname = "
                    + PgSql.literal(check.value()) + " AND NOT convalidated) THEN\n  ALTER TABLE " + PgSql.quote(table)
                    + " VALIDATE CONSTRAINT " + PgSql.quote(check) + ";\nEND IF;");
            added.add(new SchemaChange.AddConstraint(table, notNullCheck(table, column.name(), false)));
            validated.add(new SchemaChange.DropConstraint(table, check));
            validated.add(new SchemaChange.AddConstraint(table, notNullCheck(table, column.name(), true)));
        }
        Step cleanup = Step.builder(ctx.stepId(op, slug, "undo_checks"), Phase.BUILD, Step.Kind.REPAIR)
                .summary("Drop the NOT NULL checks if an interrupted up script left them")
                .guard("SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = " + PgSql.regclass(table) + " AND conname IN ("
                        + nullable.stream().map(c -> PgSql.literal(checkName(table, c.name()).value())).collect(Collectors.joining(", ")) + "))")
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(dropChecksSql(table, nullable))))
                .lock(PostgresAddUnique.exclusive(table, TableWork.NONE, LockDuration.instant()))
                .ifInterrupted("Nothing is changed: the step is one transaction. Run it again.")
                .build();
        Step addChecks = Step.builder(ctx.stepId(op, slug, "checks"), Phase.BUILD, Step.Kind.SCHEMA)
                .summary("Add CHECK (… IS NOT NULL) NOT VALID on " + names(nullable))
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), add))
                .lock(PostgresAddUnique.exclusive(table, TableWork.NONE, LockDuration.instant()))
                .estimate(Duration.ofMillis(50))
                .effects(added)
                .inverse(Inverse.steps(cleanup))
                .ifInterrupted("Nothing is changed: the step is one transaction, retried on lock timeout. Run the script again.")
                .build();
        Step validateChecks = Step.builder(ctx.stepId(op, slug, "validate"), Phase.BUILD, Step.Kind.SCHEMA)
                .summary("Validate the NOT NULL checks on " + names(nullable) + " (scans " + table + " without blocking it)")
                .statement("DO " + PgSql.dollarQuote("\nBEGIN\n" + PgLockRetry.indent(String.join("\n", validate), "  ") + "\nEND\n", "zerodown"))
                .lock(new LockClaim(table.value(), PgLock.SHARE_UPDATE_EXCLUSIVE, TableWork.SCAN, new LockDuration.ProportionalToRows(rows, scan)))
                .estimate(scan)
                .effects(validated)
                .ifInterrupted("Nothing is changed: the validation rolls back whole and the checks stay NOT VALID. Run the script again.")
                .build();
        return List.of(addChecks, validateChecks);
    }

    private static List<String> undoKeySql(TableName table, ConstraintName name, List<Column> nullable) {
        List<String> sql = new ArrayList<>();
        sql.add("ALTER TABLE " + PgSql.quote(table) + " DROP CONSTRAINT IF EXISTS " + PgSql.quote(name));
        if (!nullable.isEmpty()) {
            sql.add("ALTER TABLE " + PgSql.quote(table) + " " + nullable.stream().map(c -> "ALTER COLUMN " + PgSql.quote(c.name()) + " DROP NOT NULL")
                    .collect(Collectors.joining(", ")));
        }
        return sql;
    }

    private static String dropChecksSql(TableName table, List<Column> nullable) {
        return "ALTER TABLE " + PgSql.quote(table) + " " + nullable.stream()
                .map(c -> "DROP CONSTRAINT IF EXISTS " + PgSql.quote(checkName(table, c.name()))).collect(Collectors.joining(", "));
    }

    /** The name of the helper check that proves a key column has no NULL: {@code zd_nn_<table>_<column>}, cut to 63 bytes. */
    static ConstraintName checkName(TableName table, ColumnName column) {
        return ConstraintName.of(PgNames.derived("zd_nn", table.value(), column.value()));
    }

    private static Constraint.Check notNullCheck(TableName table, ColumnName column, boolean validated) {
        return new Constraint.Check(checkName(table, column), SqlExpression.of(PgSql.quote(column) + " IS NOT NULL"), validated);
    }

    private static String names(List<Column> columns) {
        return columns.stream().map(c -> c.name().value()).collect(Collectors.joining(", "));
    }

    private static Strategy strategy(AddPrimaryKey op, PgContext ctx, PgContext.Approach approach, List<Column> nullable) {
        String what = "Primary key " + op.resolvedName() + ": ";
        if (approach.direct()) {
            List<Technique> techniques = new ArrayList<>(List.of(Technique.DIRECT));
            if (ctx.migration().downtime() instanceof DowntimeTolerance.MaintenanceWindow) {
                techniques.add(Technique.MAINTENANCE_WINDOW);
            }
            return new Strategy(techniques, List.of(what + approach.reason()));
        }
        List<Technique> techniques = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        reasons.add(what + approach.reason());
        if (!nullable.isEmpty()) {
            techniques.add(Technique.NOT_VALID_THEN_VALIDATE);
            reasons.add("The key columns " + names(nullable) + " allow NULL, and ADD PRIMARY KEY would run SET NOT NULL itself, scanning " + op.table()
                    + " under ACCESS EXCLUSIVE; a CHECK (… IS NOT NULL) added NOT VALID and validated under SHARE UPDATE EXCLUSIVE "
                    + "proves the columns have no NULL, so SET NOT NULL and the key skip that scan.");
        }
        techniques.add(Technique.CONCURRENT_INDEX);
        reasons.add("The key's unique index is built with CREATE UNIQUE INDEX CONCURRENTLY (reads and writes go on), then attached "
                + "with ADD PRIMARY KEY USING INDEX, whose ACCESS EXCLUSIVE lasts milliseconds.");
        return new Strategy(techniques, reasons);
    }
}
