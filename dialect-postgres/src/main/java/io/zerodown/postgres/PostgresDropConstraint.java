package io.zerodown.postgres;

import io.zerodown.model.IndexName;
import io.zerodown.model.TableName;
import io.zerodown.model.operation.CreateIndex;
import io.zerodown.model.operation.DropConstraint;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Index;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Check;
import io.zerodown.plan.Expectation;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.Phase;
import io.zerodown.plan.RiskLevel;
import io.zerodown.plan.SchemaChange;
import io.zerodown.plan.Step;
import io.zerodown.plan.Strategy;
import io.zerodown.plan.Technique;
import io.zerodown.spi.CompiledOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Drops a constraint on PostgreSQL: {@code DROP CONSTRAINT}, a catalog change under ACCESS
 * EXCLUSIVE (on both tables for a foreign key; checked on 12, 15 and 18).
 *
 * <p>The down script adds it back the safe way for its kind: a CHECK or FOREIGN KEY {@code NOT VALID}
 * then validated (only re-added NOT VALID if it was NOT VALID before); a UNIQUE or PRIMARY KEY by
 * building its unique index again concurrently, then {@code ADD CONSTRAINT … USING INDEX}.
 */
final class PostgresDropConstraint implements PgCompiler<DropConstraint> {

    @Override
    public List<String> problems(DropConstraint op, PgContext ctx) {
        return List.of();
    }

    @Override
    public CompiledOperation compile(DropConstraint op, PgContext ctx) {
        Constraint constraint = op.dropped(ctx.schema());
        TableName table = op.table();
        String slug = "drop_" + PgContext.slug(op.constraint().value());
        boolean key = constraint instanceof Constraint.PrimaryKey || constraint instanceof Constraint.Unique;
        String kind = kind(constraint);

        List<Step> restore = restore(op, ctx, constraint, slug);
        Step drop = PgConstraintSteps.drop(ctx, op, slug, "drop", Phase.EXPAND, table, constraint, true,
                "Drop the " + kind + " " + constraint.name() + " of " + table, Inverse.steps(restore.toArray(Step[]::new)));

        List<String> reasons = new ArrayList<>();
        reasons.add("Drop the " + kind + " " + constraint.name() + " of " + table + ": a catalog change under ACCESS EXCLUSIVE"
                + (constraint instanceof Constraint.ForeignKey fk && !fk.referencedTable().equals(table)
                ? " on " + table + " and on the referenced table " + fk.referencedTable() : " on " + table)
                + " for milliseconds (lock_timeout and retries keep the wait short); no row is read.");
        reasons.add("The down script adds it back " + (key
                ? "by building its unique index again with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX "
                + "(ACCESS EXCLUSIVE for milliseconds)"
                : PgConstraintSteps.validated(constraint) ? "NOT VALID, then validated in its own transaction"
                : "NOT VALID, as it was") + ".");
        CompiledOperation.Builder out = CompiledOperation.builder(op, new Strategy(List.of(Technique.DIRECT), reasons));
        out.step(drop);

        out.verify(new Check("The " + kind + " " + constraint.name() + " no longer exists on " + table + ".",
                "SELECT count(*) FROM pg_constraint WHERE conrelid = " + PgSql.regclass(table) + " AND conname = "
                        + PgSql.literal(constraint.name().value()),
                Expectation.count(0), "run the up script again."));
        if (key) {
            keyAdvice(op, constraint, out);
        } else {
            String what = constraint instanceof Constraint.ForeignKey fk
                    ? "rows of " + table + " whose key has no match in " + fk.referencedTable() + " (and deletes of referenced rows)"
                    : "rows that violate it";
            out.hazard(new Hazard(RiskLevel.LOW, "The down script fails on " + what,
                    "Once " + constraint.name() + " is dropped nothing stops such writes; re-adding it validates every row"
                            + (PgConstraintSteps.validated(constraint) ? ", and the validation stops on the first such row." : ".")
                            + " From the down script's first step on, new such writes are refused again.",
                    "Before running the down script, roll the application back and fix those rows."));
        }
        out.appChange(AppChange.after(Phase.EXPAND, "Code may now write what " + constraint.name() + " used to refuse"
                        + (key ? " (duplicate " + PgConstraintSteps.columnList(constraint.columns()) + ")" : "") + ".",
                "Old code keeps working" + (key ? ", except statements that need the constraint: INSERT … ON CONFLICT ("
                        + PgConstraintSteps.columnList(constraint.columns()) + ") fails without a unique index on those columns" : "")
                        + ". Once such rows exist, rolling back needs them fixed first."));
        return out.build();
    }

    private static String kind(Constraint constraint) {
        if (constraint instanceof Constraint.PrimaryKey) {
            return "primary key";
        }
        if (constraint instanceof Constraint.Unique) {
            return "unique constraint";
        }
        return constraint instanceof Constraint.ForeignKey ? "foreign key" : "check";
    }

    /** The steps of the down script that add the constraint back. */
    private static List<Step> restore(DropConstraint op, PgContext ctx, Constraint constraint, String slug) {
        TableName table = op.table();
        List<Step> steps = new ArrayList<>();
        if (constraint instanceof Constraint.Check || constraint instanceof Constraint.ForeignKey) {
            steps.add(PgConstraintSteps.addNotValid(ctx, op, slug, "undo_add", Phase.EXPAND, table, constraint));
            if (PgConstraintSteps.validated(constraint)) {
                Map<TableName, Long> rows = new LinkedHashMap<>();
                rows.put(table, ctx.profile(table).approximateRows());
                long scanned = rows.get(table);
                if (constraint instanceof Constraint.ForeignKey fk && !fk.referencedTable().equals(table)) {
                    rows.put(fk.referencedTable(), ctx.profile(fk.referencedTable()).approximateRows());
                    scanned += rows.get(fk.referencedTable());
                }
                steps.add(PgConstraintSteps.validate(ctx, op, slug, "undo_validate", table, constraint, rows,
                        PostgresFacts.forRows(scanned, PostgresFacts.SCAN_ROWS_PER_SECOND)));
            }
            return steps;
        }
        boolean primary = constraint instanceof Constraint.PrimaryKey;
        IndexName indexName = IndexName.of(constraint.name().value());
        CompiledOperation build = new PostgresCreateIndex().compile(new CreateIndex(table, Optional.of(indexName),
                constraint.columns().stream().map(c -> (Index.Element) new Index.Element.OfColumn(c, false)).toList(), true,
                Optional.empty(), "btree"), ctx);
        steps.addAll(build.steps());
        String sql = PgConstraintSteps.alterTable(table) + " ADD CONSTRAINT " + PgSql.quote(constraint.name())
                + (primary ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX " + PgSql.quote(indexName);
        steps.add(Step.builder(ctx.stepId(op, slug, "undo_attach"), Phase.EXPAND, Step.Kind.SCHEMA)
                .summary("Make the index " + indexName + " the " + kind(constraint) + " " + constraint.name() + " of " + table)
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(PgConstraintSteps.ifThen(
                        "NOT " + PgConstraintSteps.constraintExists(table, constraint.name(), null), sql))))
                .lock(PgConstraintSteps.instant(table, PgLock.ACCESS_EXCLUSIVE))
                .estimate(Duration.ofMillis(20))
                .effect(new SchemaChange.DropIndex(table, indexName))
                .effect(new SchemaChange.AddConstraint(table, constraint))
                .ifInterrupted("Nothing is changed: the step is one short transaction, retried on lock timeout. Run it again.")
                .build());
        return steps;
    }

    private static void keyAdvice(DropConstraint op, Constraint constraint, CompiledOperation.Builder out) {
        TableName table = op.table();
        String self = "(SELECT conindid FROM pg_constraint WHERE conrelid = " + PgSql.regclass(table) + " AND conname = "
                + PgSql.literal(constraint.name().value()) + ")";
        out.preCheck(new Check("No foreign key depends on the index of " + constraint.name() + " (PostgreSQL refuses to drop it "
                        + "without CASCADE).",
                "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conindid = " + self, Expectation.count(0),
                "drop those foreign keys first (SELECT conrelid::regclass, conname FROM pg_constraint WHERE contype = 'f' AND "
                        + "conindid = … lists them), or keep the constraint."));
        String expected = "format('CREATE UNIQUE INDEX %s ON %s.%s USING btree (%s)', quote_ident(ic.relname),\n"
                + "         quote_ident(n.nspname), quote_ident(c.relname), (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.n)\n"
                + "           FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, n)\n"
                + "           JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum))";
        out.preCheck(new Check("The index of " + constraint.name() + " is a plain unique btree on its columns (no INCLUDE, operator "
                        + "class, collation, NULLS NOT DISTINCT or storage parameter) and the constraint is not DEFERRABLE, so that "
                        + "the down script rebuilds it exactly.",
                "SELECT NOT con.condeferrable AND pg_get_indexdef(con.conindid) = " + expected + "\n"
                        + "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace\n"
                        + "  JOIN pg_class ic ON ic.oid = con.conindid\nWHERE con.conrelid = "
                        + PgSql.regclass(table) + " AND con.conname = " + PgSql.literal(constraint.name().value()),
                Expectation.isTrue(), "the down script would rebuild it without those options: save its definition ("
                + "SELECT pg_get_constraintdef(oid), pg_get_indexdef(conindid) FROM pg_constraint WHERE conname = …) so that you "
                + "can recreate it by hand, or keep the constraint."));
        if (constraint instanceof Constraint.PrimaryKey) {
            out.preCheck(new Check(table + " is not published for logical replication with the primary key as its replica identity "
                            + "(updates and deletes would fail on the publisher once it is gone).",
                    "SELECT count(*) FROM pg_publication_tables pt JOIN pg_class c ON c.oid = format('%I.%I', pt.schemaname, pt.tablename)::regclass\n"
                            + "WHERE c.oid = " + PgSql.regclass(table) + " AND c.relreplident = 'd'",
                    Expectation.count(0), "set another replica identity first (ALTER TABLE … REPLICA IDENTITY USING INDEX … or FULL), "
                    + "or remove the table from the publication."));
        }
        out.hazard(new Hazard(RiskLevel.LOW, "The down script rebuilds the index, and fails on duplicates",
                "Dropping " + constraint.name() + " drops its index too. The down script builds it again with CREATE UNIQUE INDEX "
                        + "CONCURRENTLY (time proportional to the table, without blocking writes), which fails if duplicate "
                        + PgConstraintSteps.columnList(constraint.columns()) + " were written in between"
                        + (constraint instanceof Constraint.PrimaryKey ? " (the columns stay NOT NULL: PostgreSQL keeps them so)" : "")
                        + ".",
                "Before running the down script, remove the duplicates; queries that used the index for lookups are slower until it "
                        + "is rebuilt."));
    }
}
