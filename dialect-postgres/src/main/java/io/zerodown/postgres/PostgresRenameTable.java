package io.zerodown.postgres;

import io.zerodown.model.TableName;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.operation.RenameTable;
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

/**
 * Renames a table on PostgreSQL.
 *
 * <p>Online (no downtime): in one short transaction (ACCESS EXCLUSIVE on the table for
 * milliseconds, under {@code lock_timeout}, retried), {@code ALTER TABLE old RENAME TO new} and
 * {@code CREATE VIEW old AS SELECT * FROM new}. A view over one table with every column is
 * automatically updatable, so code that still uses the old name keeps reading and writing
 * (INSERT/UPDATE/DELETE with RETURNING, ON CONFLICT, the table's defaults on insert: checked on 12
 * and 18). The view gets the table's owner and its SELECT/INSERT/UPDATE/DELETE grants; from
 * PostgreSQL 15 it is {@code security_invoker}, so privileges and row-level security are checked
 * for its users exactly as on the table. The contract phase drops the view.
 *
 * <p>Direct (development database, or a maintenance window with the application stopped): the
 * rename alone. Either way the down script renames the table back (dropping the view first).
 */
final class PostgresRenameTable implements PgCompiler<RenameTable> {

    @Override
    public List<String> problems(RenameTable op, PgContext ctx) {
        List<String> problems = new ArrayList<>();
        if (PgNames.tooLong(op.to().value())) {
            problems.add("table name \"" + op.to() + "\" is longer than 63 bytes; PostgreSQL would silently cut it");
        }
        if (ctx.schema().table(op.to()).isEmpty() && PgTables.relationNames(ctx.schema()).contains(op.to().value())) {
            problems.add("an index or sequence is already named \"" + op.to() + "\" (tables, indexes and sequences share one "
                    + "namespace in PostgreSQL); choose another name");
        }
        return problems;
    }

    @Override
    public CompiledOperation compile(RenameTable op, PgContext ctx) {
        boolean withView = !(ctx.migration().downtime() instanceof DowntimeTolerance.DevOnly
                || ctx.migration().downtime() instanceof DowntimeTolerance.MaintenanceWindow);
        String slug = "rename_" + PgContext.slug(op.table().value()) + "_to_" + PgContext.slug(op.to().value());
        TableName old = op.table();
        TableName renamed = op.to();

        Step undo = Step.builder(ctx.stepId(op, slug, "undo_rename"), Phase.EXPAND, Step.Kind.SCHEMA)
                .summary(withView ? "Drop the view " + old + " and rename " + renamed + " back to " + old
                        : "Rename " + renamed + " back to " + old)
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), withView
                        ? List.of(PgTables.dropViewIfPresent(old), PgTables.renameIfNeeded(renamed, old))
                        : List.of(PgTables.renameIfNeeded(renamed, old))))
                .lock(new LockClaim(renamed.value(), PgLock.ACCESS_EXCLUSIVE, TableWork.NONE, LockDuration.instant()))
                .estimate(Duration.ofMillis(50))
                .effect(new SchemaChange.RenameTable(renamed, old))
                .ifInterrupted("Nothing is changed: the step is one transaction. Run it again.")
                .build();

        List<String> sql = new ArrayList<>();
        sql.add(PgTables.renameIfNeeded(old, renamed));
        if (withView) {
            sql.add(createView(op, ctx));
        }
        Step rename = Step.builder(ctx.stepId(op, slug, "rename"), Phase.EXPAND, Step.Kind.SCHEMA)
                .summary(withView ? "Rename " + old + " to " + renamed + " and create the view " + old + " in its place"
                        : "Rename " + old + " to " + renamed)
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), sql))
                .lock(new LockClaim(old.value(), PgLock.ACCESS_EXCLUSIVE, TableWork.NONE, LockDuration.instant()))
                .estimate(Duration.ofMillis(50))
                .effect(new SchemaChange.RenameTable(old, renamed))
                .inverse(Inverse.steps(undo))
                .ifInterrupted("Nothing is changed: the rename" + (withView ? " and the view are" : " is")
                        + " one transaction, retried on lock timeout. Run the script again: a rename already done is skipped.")
                .build();

        CompiledOperation.Builder out = CompiledOperation.builder(op, strategy(op, ctx, withView));
        out.step(rename);
        if (withView) {
            out.step(Step.builder(ctx.stepId(op, slug, "contract"), Phase.CONTRACT, Step.Kind.SCHEMA)
                    .summary("Drop the compatibility view " + old + " (ACCESS EXCLUSIVE on the view only; " + renamed
                            + " itself is not locked)")
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(PgTables.dropViewIfPresent(old))))
                    .estimate(Duration.ofMillis(50))
                    .inverse(Inverse.irreversible("code that still uses the name " + old + " fails from now on; to bring the name "
                            + "back, create the view again by hand (CREATE VIEW " + old + " AS SELECT * FROM " + renamed + ", "
                            + "with the same grants)."))
                    .ifInterrupted("Nothing is changed: the step is one transaction. Run it again.")
                    .build());
        }
        preChecks(op, ctx, withView).forEach(out::preCheck);
        verifications(op, withView).forEach(out::verify);
        hazards(op, ctx, withView).forEach(out::hazard);
        appChanges(op, withView).forEach(out::appChange);
        notes(op, ctx, withView).forEach(out::note);
        return out.build();
    }

    /**
     * The compatibility view, unless the old name is already taken (a re-run): PL/pgSQL. It gets
     * the table's owner (the owner's rights apply to the table behind a view without
     * security_invoker) and the table's SELECT/INSERT/UPDATE/DELETE grants, so every role that
     * used the old name can go on using it.
     */
    private static String createView(RenameTable op, PgContext ctx) {
        TableName old = op.table();
        TableName renamed = op.to();
        String table = PgSql.toRegclass(renamed);
        String options = ctx.facts().has(PgFeature.VIEW_SECURITY_INVOKER) ? " WITH (security_invoker = true)" : "";
        return "IF " + PgSql.toRegclass(old) + " IS NULL THEN\n"
                + "  CREATE VIEW " + PgSql.quote(old) + options + " AS SELECT * FROM " + PgSql.quote(renamed) + ";\n"
                + "  DECLARE\n"
                + "    zd_grant record;\n"
                + "  BEGIN\n"
                + "    IF (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = " + table + ") <> current_user THEN\n"
                + "      EXECUTE format('ALTER VIEW %I OWNER TO %I', " + PgSql.literal(old.value())
                + ", (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = " + table + "));\n"
                + "    END IF;\n"
                + "    FOR zd_grant IN SELECT a.privilege_type, a.grantee, a.is_grantable\n"
                + "        FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) AS a\n"
                + "        WHERE c.oid = " + table + " AND a.grantee <> c.relowner\n"
                + "          AND a.privilege_type IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE') LOOP\n"
                + "      EXECUTE format('GRANT %s ON %I TO %s', zd_grant.privilege_type, " + PgSql.literal(old.value()) + ",\n"
                + "          CASE WHEN zd_grant.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(zd_grant.grantee)) END)\n"
                + "        || CASE WHEN zd_grant.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END;\n"
                + "    END LOOP;\n"
                + "  END;\n"
                + "END IF";
    }

    private static Strategy strategy(RenameTable op, PgContext ctx, boolean withView) {
        String what = "Rename " + op.table() + " to " + op.to() + ": ";
        if (!withView) {
            String why = ctx.migration().downtime() instanceof DowntimeTolerance.DevOnly
                    ? "development database: the rename alone (ALTER TABLE … RENAME TO, a catalog change); code using the old "
                    + "name fails from then on, which is acceptable here."
                    : "maintenance window: the rename alone (ALTER TABLE … RENAME TO, a catalog change of milliseconds) while the "
                    + "application is stopped; code deployed after the window must use the new name.";
            List<Technique> techniques = new ArrayList<>(List.of(Technique.DIRECT));
            if (ctx.migration().downtime() instanceof DowntimeTolerance.MaintenanceWindow) {
                techniques.add(Technique.MAINTENANCE_WINDOW);
            }
            return new Strategy(techniques, List.of(what + why));
        }
        return new Strategy(List.of(Technique.EXPAND_CONTRACT), List.of(what + "no downtime is allowed, so old and new code must "
                + "run side by side: the table is renamed and a view with the old name is created in the same short transaction "
                + "(ACCESS EXCLUSIVE for milliseconds). The view is automatically updatable, so old code keeps reading and "
                + "writing through it; the contract phase drops it once no deployed code uses the old name."));
    }

    private static List<Check> preChecks(RenameTable op, PgContext ctx, boolean withView) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("No relation is named " + op.to() + " yet (on a re-run it is the renamed table: expected).",
                "SELECT count(*) FROM pg_class WHERE oid = " + PgSql.toRegclass(op.to()), Expectation.count(0),
                "the name is taken, or the schema given to zerodown is out of date: compile again from the live schema."));
        if (withView) {
            checks.add(new Check("No column of " + op.table() + " has column-level grants (the view copies the table's grants, "
                    + "not its columns').",
                    "SELECT count(*) FROM pg_attribute WHERE attrelid = " + PgSql.toRegclass(op.table()) + " AND attacl IS NOT NULL",
                    Expectation.count(0), "after the up script, grant the same column privileges on the view " + op.table()
                    + " by hand, or roles that rely on them lose access through the old name."));
            if (!ctx.facts().has(PgFeature.VIEW_SECURITY_INVOKER)) {
                checks.add(new Check("Row-level security is off on " + op.table() + " (before PostgreSQL 15 a view applies its "
                        + "owner's rights, which bypass the table's policies).",
                        "SELECT count(*) FROM pg_class WHERE oid = " + PgSql.toRegclass(op.table()) + " AND relrowsecurity",
                        Expectation.count(0), "do not use the compatibility view on this version: rename in a maintenance window "
                        + "instead (downtime maintenanceWindow), or upgrade to PostgreSQL 15+, where the view is security_invoker."));
            }
        }
        return checks;
    }

    private static List<Check> verifications(RenameTable op, boolean withView) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("The table is now called " + op.to() + ".",
                "SELECT count(*) FROM pg_class WHERE oid = " + PgSql.toRegclass(op.to()) + " AND relkind IN ('r', 'p')",
                Expectation.count(1), "run the up script again."));
        if (withView) {
            checks.add(new Check("The name " + op.table() + " is an updatable view of " + op.to() + ".",
                    "SELECT count(*) FROM pg_class v WHERE v.oid = " + PgSql.toRegclass(op.table()) + " AND v.relkind = 'v'\n"
                            + "  AND pg_relation_is_updatable(v.oid, false) & 28 = 28\n"
                            + "  AND EXISTS (SELECT FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid\n"
                            + "              WHERE r.ev_class = v.oid AND d.refobjid = " + PgSql.toRegclass(op.to()) + ")",
                    Expectation.count(1),
                    "run the up script again; if another object took the name, old code cannot use it: rename that object."));
        } else {
            checks.add(new Check("Nothing is called " + op.table() + " any more.",
                    "SELECT count(*) FROM pg_class WHERE oid = " + PgSql.toRegclass(op.table()), Expectation.count(0),
                    "run the up script again."));
        }
        return checks;
    }

    private static List<Hazard> hazards(RenameTable op, PgContext ctx, boolean withView) {
        List<Hazard> hazards = new ArrayList<>();
        if (!withView) {
            hazards.add(new Hazard(RiskLevel.LOW, "Code using the old name fails at once",
                    "From the rename on, every query that names " + op.table() + " fails with \"relation does not exist\", including "
                            + "those in functions, triggers and views' callers written by hand.",
                    "Run it while the application is stopped, and deploy code that uses " + op.to() + " before starting it again."));
            return hazards;
        }
        hazards.add(new Hazard(RiskLevel.LOW, "The old name is a view until the contract phase",
                "Through " + op.table() + " old code can SELECT, INSERT, UPDATE and DELETE (RETURNING, ON CONFLICT and the table's "
                        + "defaults included), but not run TRUNCATE, COPY, ALTER TABLE or other DDL on it (\"is not a table\"). "
                        + "Columns added to " + op.to() + " later are not visible through the view (SELECT * was expanded when it "
                        + "was created), and while the view exists PostgreSQL refuses to drop or change the type of any column of "
                        + op.to() + " (the view depends on every column).",
                "Keep DDL, TRUNCATE and COPY in code that uses " + op.to() + "; schedule migrations that drop or retype columns of "
                        + op.to() + " after the contract phase."));
        hazards.add(new Hazard(RiskLevel.LOW, "The old name inside database code",
                "Functions, triggers and views written by hand that name " + op.table() + " keep working through the view until the "
                        + "contract phase and fail after it (views that read the table itself follow the rename).",
                "Search pg_proc.prosrc for the old name and update those functions before the contract phase."));
        return hazards;
    }

    private static List<AppChange> appChanges(RenameTable op, boolean withView) {
        List<AppChange> changes = new ArrayList<>();
        if (!withView) {
            changes.add(AppChange.before(Phase.EXPAND, "Stop the application (or every part of it that uses " + op.table() + ").",
                    "Code that uses " + op.table() + " fails once the rename has run."));
            changes.add(AppChange.after(Phase.EXPAND, "Deploy code that uses " + op.to() + ", then start it.",
                    "Only code that uses the new name works against the new schema."));
            return changes;
        }
        changes.add(AppChange.before(Phase.EXPAND, "Nothing: deploy no change before the up script.",
                "Old code keeps working: the name " + op.table() + " becomes an updatable view of the renamed table."));
        changes.add(AppChange.after(Phase.EXPAND, "Deploy code that uses " + op.to() + " (queries, ORM mappings, raw SQL, "
                        + "TRUNCATE/COPY jobs).",
                "Old and new code can run side by side: both names reach the same rows. Rolling the code back is safe until the "
                        + "contract phase."));
        changes.add(AppChange.before(Phase.CONTRACT, "Remove every use of " + op.table() + " and make sure no old instance still runs.",
                "After the contract phase the name " + op.table() + " no longer exists: code using it fails."));
        return changes;
    }

    private static List<String> notes(RenameTable op, PgContext ctx, boolean withView) {
        List<String> notes = new ArrayList<>();
        notes.add("Renaming " + op.table() + " to " + op.to() + " keeps every other name: its indexes, constraints and triggers, and "
                + "the sequences of its serial columns (a sequence named after the old table keeps that name: rename it separately "
                + "if it matters). Foreign keys, and views that read the table, follow the rename.");
        if (withView) {
            notes.add("zerodown's schema model has no views, and its introspection reads tables only: the compatibility view "
                    + op.table() + " does not appear in the simulated schema. The package creates it (up), drops it before renaming "
                    + "the table back (down) and drops it for good (contract), so the catalog after the down script is exactly "
                    + "the one before the up script.");
            notes.add(ctx.facts().has(PgFeature.VIEW_SECURITY_INVOKER)
                    ? "The view is security_invoker (PostgreSQL 15+): its users need the grants they had on the table (they are "
                    + "copied to the view) and its row-level security policies apply to them as before."
                    : "Before PostgreSQL 15 a view accesses its table with its owner's rights: the view gets the table's owner and "
                    + "copies of the table's SELECT/INSERT/UPDATE/DELETE grants, so each role can do through the old name exactly "
                    + "what it could do before; a pre-check makes sure no row-level security would be bypassed.");
        }
        return notes;
    }
}
