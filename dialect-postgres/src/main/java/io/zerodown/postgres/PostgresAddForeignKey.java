package io.zerodown.postgres;

import io.zerodown.model.ColumnName;
import io.zerodown.model.SqlType;
import io.zerodown.model.TableName;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.operation.AddForeignKey;
import io.zerodown.model.operation.CreateIndex;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Table;
import io.zerodown.plan.AbortCriterion;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Check;
import io.zerodown.plan.Expectation;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.Phase;
import io.zerodown.plan.RiskLevel;
import io.zerodown.plan.Strategy;
import io.zerodown.plan.Technique;
import io.zerodown.spi.CompiledOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Adds a foreign key on PostgreSQL.
 *
 * <p>Online: the referencing columns are indexed first with {@code CREATE INDEX CONCURRENTLY} (an
 * invalid index left by a failed build is dropped and rebuilt, as {@link PostgresCreateIndex}
 * does) unless an index already starts with them or {@code withoutIndex()} was asked; then
 * {@code ADD CONSTRAINT … FOREIGN KEY … NOT VALID}, which takes SHARE ROW EXCLUSIVE on both tables
 * for milliseconds; then {@code VALIDATE CONSTRAINT} in its own transaction, which takes SHARE
 * UPDATE EXCLUSIVE on the referencing table and ROW SHARE on the referenced one, so reads and
 * writes of both go on while it reads every row.
 *
 * <p>Direct: a plain index build, then {@code ADD CONSTRAINT … FOREIGN KEY}, which validates every
 * row while writes to both tables are blocked.
 */
final class PostgresAddForeignKey implements PgCompiler<AddForeignKey> {

    /** Type families between which PostgreSQL finds the equality a foreign key needs (checked on 12 and 18). */
    private static final Set<String> INTEGERS = Set.of("smallint", "integer", "bigint");
    private static final Set<String> FLOATS = Set.of("real", "double precision");
    private static final Set<String> TEXTS = Set.of("text", "character varying", "character");
    private static final Set<String> DATETIMES = Set.of("date", "timestamp without time zone", "timestamp with time zone");
    private static final Set<String> KNOWN = Set.of("smallint", "integer", "bigint", "numeric", "real", "double precision", "text",
            "character varying", "character", "uuid", "boolean", "date", "timestamp without time zone", "timestamp with time zone");

    @Override
    public List<String> problems(AddForeignKey op, PgContext ctx) {
        List<String> problems = new ArrayList<>();
        if (PgNames.tooLong(op.resolvedName().value())) {
            problems.add("constraint name \"" + op.resolvedName() + "\" is longer than 63 bytes; PostgreSQL would silently cut it. "
                    + "Choose a shorter one with named(…)");
        }
        if (op.needsIndex(ctx.schema()) && PgNames.tooLong(op.index().name().value())) {
            problems.add("the index on the referencing columns would be named \"" + op.index().name() + "\", longer than 63 bytes: "
                    + "create an index on " + op.columns() + " yourself first (createIndex(…).named(…)), or use withoutIndex()");
        }
        Table child = ctx.schema().requireTable(op.table());
        Table parent = ctx.schema().requireTable(op.referencedTable());
        List<ColumnName> referenced = op.resolvedReferencedColumns(ctx.schema());
        for (int i = 0; i < op.columns().size(); i++) {
            Column from = child.column(op.columns().get(i)).orElseThrow();
            Column to = parent.column(referenced.get(i)).orElseThrow();
            if (!compatible(from.type(), to.type())) {
                problems.add("column \"" + from.name() + "\" (" + from.type().sql() + ") cannot reference \"" + op.referencedTable()
                        + "\".\"" + to.name() + "\" (" + to.type().sql() + "): PostgreSQL has no equality between these types "
                        + "for a foreign key. Change one column's type first so that both are alike");
            }
        }
        return problems;
    }

    /** False only when PostgreSQL is known to refuse the pair; types outside the known families are left to the server. */
    static boolean compatible(SqlType from, SqlType to) {
        if (from.arrayDimensions() != to.arrayDimensions()) {
            return false;
        }
        String f = from.name();
        String t = to.name();
        if (from.arrayDimensions() > 0 || !KNOWN.contains(f) || !KNOWN.contains(t) || f.equals(t)) {
            return true;
        }
        if (INTEGERS.contains(t)) {
            return INTEGERS.contains(f);
        }
        if (t.equals("numeric")) {
            return INTEGERS.contains(f);
        }
        if (FLOATS.contains(t)) {
            return INTEGERS.contains(f) || FLOATS.contains(f) || f.equals("numeric");
        }
        if (TEXTS.contains(t)) {
            return TEXTS.contains(f);
        }
        if (DATETIMES.contains(t)) {
            return DATETIMES.contains(f);
        }
        return false;
    }

    @Override
    public CompiledOperation compile(AddForeignKey op, PgContext ctx) {
        TableName child = op.table();
        TableName parent = op.referencedTable();
        Constraint.ForeignKey fk = op.constraint(ctx.schema());
        String slug = "fk_" + PgContext.slug(fk.name().value());
        TableProfile childProfile = ctx.profile(child);
        long childRows = childProfile.approximateRows();
        long parentRows = ctx.profile(parent).approximateRows();
        Map<TableName, Long> rows = new LinkedHashMap<>();
        rows.put(child, childRows);
        rows.putIfAbsent(parent, parentRows);
        Duration scan = PostgresFacts.forRows(child.equals(parent) ? childRows : childRows + parentRows, PostgresFacts.SCAN_ROWS_PER_SECOND);
        String blocked = "writes to " + child + (child.equals(parent) ? "" : " and " + parent);
        PgContext.Approach approach = ctx.choose("a plain ADD FOREIGN KEY, which checks every row under SHARE ROW EXCLUSIVE on both "
                + "tables", blocked, scan);

        Optional<CompiledOperation> index = Optional.empty();
        if (op.needsIndex(ctx.schema())) {
            Index i = op.index();
            index = Optional.of(new PostgresCreateIndex().compile(new CreateIndex(child, Optional.of(i.name()), i.elements(), false,
                    Optional.empty(), "btree"), ctx));
        }
        CompiledOperation.Builder out = CompiledOperation.builder(op, strategy(op, ctx, approach, index.map(CompiledOperation::strategy)));
        index.ifPresent(compiled -> {
            compiled.steps().forEach(out::step);
            compiled.preChecks().forEach(out::preCheck);
            compiled.verifications().forEach(out::verify);
            compiled.hazards().forEach(out::hazard);
            compiled.monitoring().forEach(out::monitor);
            compiled.abortCriteria().forEach(out::abortWhen);
        });
        if (approach.direct()) {
            out.step(PgConstraintSteps.addDirect(ctx, op, slug, "add", Phase.BUILD, child, fk, rows, scan));
        } else {
            out.step(PgConstraintSteps.addNotValid(ctx, op, slug, "add", Phase.BUILD, child, fk));
            out.step(PgConstraintSteps.validate(ctx, op, slug, "validate", child, fk, rows, scan));
            out.abortWhen(new AbortCriterion("the validation of " + fk.name() + " hurts latency or runs too long",
                    "cancel it (pg_cancel_backend): the foreign key stays NOT VALID and keeps checking new writes; run the script "
                            + "again later"));
        }

        preChecks(op, fk).forEach(out::preCheck);
        boolean concurrentIndex = index.map(i -> i.strategy().techniques().contains(Technique.CONCURRENT_INDEX)).orElse(false);
        boolean notValidRefused = !approach.direct() && !ctx.facts().has(PgFeature.NOT_VALID_FOREIGN_KEY_ON_PARTITIONED_TABLE);
        if (concurrentIndex || notValidRefused) {
            List<String> why = new ArrayList<>();
            if (concurrentIndex) {
                why.add("CREATE INDEX CONCURRENTLY fails on a partitioned table");
            }
            if (notValidRefused) {
                why.add("PostgreSQL " + ctx.facts().version().major() + " refuses a NOT VALID foreign key on a partitioned table "
                        + "(18 accepts it)");
            }
            out.preCheck(new Check(child + " is not a partitioned table (" + String.join("; ", why) + ").",
                    "SELECT relkind <> 'p' FROM pg_class WHERE oid = " + PgSql.regclass(child), Expectation.isTrue(),
                    "index the partitions by hand (CREATE INDEX … ON ONLY the parent, CREATE INDEX CONCURRENTLY on each partition, "
                            + "ALTER INDEX … ATTACH PARTITION for each), then add the foreign key with withoutIndex()"
                            + (notValidRefused ? " in a maintenance window (a plain ADD FOREIGN KEY validates while writes are blocked), "
                            + "or on PostgreSQL 18, which accepts it NOT VALID" : "") + "."));
        }
        out.verify(new Check("The foreign key " + fk.name() + " exists on " + child + ", references " + parent + " and is validated.",
                "SELECT convalidated AND confrelid = " + PgSql.regclass(parent) + " FROM pg_constraint\nWHERE conrelid = "
                        + PgSql.regclass(child) + " AND conname = " + PgSql.literal(fk.name().value()) + " AND contype = 'f'",
                Expectation.isTrue(), "run the up script again: it validates the foreign key (fix orphan rows first if it fails)."));
        hazards(op, ctx, approach, childProfile).forEach(out::hazard);
        out.appChange(AppChange.before(Phase.BUILD, "Make the application write " + child + " rows only with "
                        + PgConstraintSteps.columnList(op.columns()) + " that exist in " + parent + " (or NULL), and delete or re-point "
                        + "them before deleting their " + parent + " row" + (fk.onDelete() == Constraint.ReferentialAction.NO_ACTION
                        || fk.onDelete() == Constraint.ReferentialAction.RESTRICT ? "" : " (ON DELETE " + fk.onDelete().sql() + " does it)") + ".",
                "Code that writes an orphan, or deletes a referenced " + parent + " row, gets an error (SQLSTATE 23503) once the "
                        + "up script has added the foreign key."));
        out.note("The foreign key " + fk.name() + " is MATCH SIMPLE, PostgreSQL's default: a row with NULL in any of "
                + PgConstraintSteps.columnList(op.columns()) + " is not checked.");
        if (fk.onDelete() != Constraint.ReferentialAction.NO_ACTION || fk.onUpdate() != Constraint.ReferentialAction.NO_ACTION) {
            out.note("Deleting a " + parent + " row does " + fk.onDelete().sql() + " to its " + child + " rows; changing its key does "
                    + fk.onUpdate().sql() + ". Cascaded changes fire the triggers of " + child + ".");
        }
        return out.build();
    }

    private static List<Check> preChecks(AddForeignKey op, Constraint.ForeignKey fk) {
        List<Check> checks = new ArrayList<>();
        String c = PgSql.quote("zd_child");
        String p = PgSql.quote("zd_parent");
        List<String> notNull = new ArrayList<>();
        List<String> match = new ArrayList<>();
        for (int i = 0; i < fk.columns().size(); i++) {
            notNull.add(c + "." + PgSql.quote(fk.columns().get(i)) + " IS NOT NULL");
            match.add(p + "." + PgSql.quote(fk.referencedColumns().get(i)) + " = " + c + "." + PgSql.quote(fk.columns().get(i)));
        }
        String orphans = "SELECT count(*) FROM " + PgSql.quote(op.table()) + " AS " + c + "\nWHERE " + String.join(" AND ", notNull)
                + "\n  AND NOT EXISTS (SELECT FROM " + PgSql.quote(op.referencedTable()) + " AS " + p + " WHERE "
                + String.join(" AND ", match) + ")";
        checks.add(new Check("No row of " + op.table() + " references a missing " + op.referencedTable() + " row (the validation "
                + "would fail on it).", orphans, Expectation.count(0),
                "list them with the same query selecting " + c + ".*; point them at existing rows, set them NULL, or delete them, "
                        + "before running the up script."));
        String names = fk.referencedColumns().stream().map(n -> PgSql.literal(n.value())).collect(Collectors.joining(", "));
        String keys = "ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)\n"
                + "              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE k.n <= i.indnkeyatts)";
        checks.add(new Check(op.referencedTable() + " has a primary key or unique index on exactly "
                + PgConstraintSteps.columnList(fk.referencedColumns()) + " (a foreign key must reference one).",
                "SELECT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = " + PgSql.regclass(op.referencedTable())
                        + " AND i.indisunique AND i.indisvalid\n  AND i.indimmediate AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnkeyatts = "
                        + fk.referencedColumns().size() + "\n  AND " + keys + " @> ARRAY[" + names + "]::text[])",
                Expectation.isTrue(), "add a unique constraint on those columns first (addUnique(…) on " + op.referencedTable()
                + "), or compile again from the live schema."));
        return checks;
    }

    private static List<Hazard> hazards(AddForeignKey op, PgContext ctx, PgContext.Approach approach, TableProfile childProfile) {
        List<Hazard> hazards = new ArrayList<>();
        if (!approach.direct()) {
            hazards.add(new Hazard(RiskLevel.LOW, "Orphan writes fail from the NOT VALID step on",
                    "Once the foreign key is added NOT VALID, every write of " + op.table() + " with a key missing from "
                            + op.referencedTable() + ", and every delete or key change of a referenced " + op.referencedTable()
                            + " row, is checked (SQLSTATE 23503).",
                    "The pre-check requires that no orphan exists; deploy code that respects the reference first."));
        }
        Optional<String> serving = op.servingIndex(ctx.schema());
        if (!op.indexColumns() && serving.isEmpty()) {
            hazards.add(new Hazard(childProfile.isLarge() ? RiskLevel.MEDIUM : RiskLevel.LOW,
                    "Deletes in " + op.referencedTable() + " scan " + op.table(),
                    "No index starts with " + PgConstraintSteps.columnList(op.columns()) + " (withoutIndex() was asked): every "
                            + "DELETE of a " + op.referencedTable() + " row, or change of its key, looks for referencing rows with "
                            + "a scan of " + op.table() + ".",
                    "Leave the index on (drop withoutIndex()), or make sure " + op.referencedTable() + " rows are never deleted "
                            + "nor their keys changed."));
        }
        return hazards;
    }

    private static Strategy strategy(AddForeignKey op, PgContext ctx, PgContext.Approach approach, Optional<Strategy> index) {
        List<Technique> techniques = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        reasons.add("Foreign key " + op.resolvedName() + " from " + op.table() + " to " + op.referencedTable() + ": " + approach.reason());
        if (approach.direct()) {
            techniques.add(Technique.DIRECT);
            if (ctx.migration().downtime() instanceof DowntimeTolerance.MaintenanceWindow) {
                techniques.add(Technique.MAINTENANCE_WINDOW);
            }
        } else {
            techniques.add(Technique.NOT_VALID_THEN_VALIDATE);
            reasons.add("The foreign key is added NOT VALID (SHARE ROW EXCLUSIVE on both tables for milliseconds; new writes are "
                    + "checked from then on) and validated in its own transaction under SHARE UPDATE EXCLUSIVE on " + op.table()
                    + " and ROW SHARE on " + op.referencedTable() + ", so reads and writes of both go on during the scan.");
        }
        index.ifPresent(s -> {
            s.techniques().stream().filter(t -> !techniques.contains(t)).forEach(techniques::add);
            reasons.addAll(s.reasons());
            reasons.add("The referencing columns are indexed first, so that deletes and key changes in " + op.referencedTable()
                    + " find the referencing rows without scanning " + op.table() + " (and before the foreign key exists).");
        });
        Optional<String> serving = op.servingIndex(ctx.schema());
        serving.ifPresent(name -> reasons.add("No index is built: " + name + " already starts with "
                + PgConstraintSteps.columnList(op.columns()) + "."));
        return new Strategy(techniques, reasons);
    }
}
