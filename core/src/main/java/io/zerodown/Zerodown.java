package io.zerodown;

import io.zerodown.model.ColumnName;
import io.zerodown.model.TableName;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.ReadPattern;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.context.Target;
import io.zerodown.model.operation.CreateTable;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.operation.Operation;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.LockDuration;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Phase;
import io.zerodown.plan.SchemaChange;
import io.zerodown.plan.Step;
import io.zerodown.spi.CompiledOperation;
import io.zerodown.spi.Dialect;
import io.zerodown.spi.Dialects;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Compiles a described change into a complete migration package.
 *
 * <pre>{@code
 * Schema schema = Zerodown.parseSchema(Target.postgres(15), ddl);
 * MigrationPackage pkg = Zerodown.compile(plan, schema, context);
 * System.out.println(pkg.toMarkdown());
 * }</pre>
 *
 * <p>The plan is validated against the schema first; every problem found is reported at once in
 * a {@link MigrationValidationException}, and nothing is produced.
 */
public final class Zerodown {

    private static final Pattern MIGRATION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    private Zerodown() {
    }

    /** Parses DDL with the target's dialect (see {@link Dialect#parseSchema(String)}). */
    public static Schema parseSchema(Target target, String ddl) {
        return Dialects.forTarget(target).parseSchema(ddl);
    }

    /** Every problem with the plan and context against the schema; empty when it compiles. */
    public static List<Problem> validate(MigrationPlan plan, Schema schema, MigrationContext context) {
        Dialect dialect = Dialects.forTarget(context.target());
        return check(dialect, plan, schema, withCreatedTables(plan, context)).problems();
    }

    /**
     * The context the dialect compiles with: a table the plan itself creates, when the author gave
     * it no profile, is empty and quiet while the migration runs (so a NOT NULL column without a
     * default may be added to it in the same plan, and nothing on it is batched).
     */
    private static MigrationContext withCreatedTables(MigrationPlan plan, MigrationContext context) {
        Map<TableName, TableProfile> profiles = new LinkedHashMap<>(context.profiles());
        plan.operations().stream().filter(CreateTable.class::isInstance)
                .forEach(o -> profiles.putIfAbsent(o.table(), TableProfile.of(0, 0, ReadPattern.MIXED)));
        return profiles.size() == context.profiles().size() ? context
                : new MigrationContext(context.name(), context.author(), context.reason(), context.date(), context.target(), profiles,
                context.downtime(), context.rollback(), context.framework(), context.lockPolicy());
    }

    /**
     * Validates and compiles.
     *
     * @throws MigrationValidationException listing every problem, when there is any
     */
    public static MigrationPackage compile(MigrationPlan plan, Schema schema, MigrationContext given) {
        Dialect dialect = Dialects.forTarget(given.target());
        MigrationContext context = withCreatedTables(plan, given);
        Checks checks = check(dialect, plan, schema, context);
        if (!checks.problems().isEmpty()) {
            throw new MigrationValidationException(checks.problems());
        }
        return new PackageAssembler(dialect, given).assemble(plan, schema, checks.compiled());
    }

    /** Parses the DDL with the target's dialect, then compiles. */
    public static MigrationPackage compile(MigrationPlan plan, String ddl, MigrationContext context) {
        return compile(plan, parseSchema(context.target(), ddl), context);
    }

    /** Every problem, and (when there is none) every operation compiled against the schema the operations before it leave. */
    private record Checks(List<Problem> problems, List<CompiledOperation> compiled) {
    }

    private static Checks check(Dialect dialect, MigrationPlan plan, Schema schema, MigrationContext context) {
        List<Problem> problems = new ArrayList<>();
        if (!MIGRATION_NAME.matcher(context.name()).matches()) {
            problems.add(new Problem("context", "migration name \"" + context.name()
                    + "\" must be 1–100 letters, digits, '_', '.' or '-' (it is used in file and object names)"));
        }
        for (TableName profiled : context.profiles().keySet()) {
            if (schema.table(profiled).isEmpty()
                    && plan.operations().stream().noneMatch(o -> o.table().equals(profiled))) {
                problems.add(new Problem("context", "a profile is given for table \"" + profiled
                        + "\", which is neither in the schema nor in the plan"));
            }
        }
        if (plan.operations().isEmpty()) {
            problems.add(new Problem("plan", "the plan has no operations"));
        }
        Schema current = schema;
        int position = 1;
        List<Checked> earlier = new ArrayList<>();
        List<CompiledOperation> compiledAll = new ArrayList<>();
        Schema whileUp = schema; // the schema as the up script leaves it (contract phases not run), in plan order
        // In a maintenance window, each operation gets what the ones before it left of it, so that together they fit.
        DowntimeTolerance.MaintenanceWindow window = context.downtime() instanceof DowntimeTolerance.MaintenanceWindow w ? w : null;
        for (Operation operation : plan.operations()) {
            String location = "operation " + position++ + " (" + operation.describe() + ")";
            MigrationContext here = window == null ? context : context.withDowntime(window);
            List<String> found = new ArrayList<>(operation.problems(current));
            if (found.isEmpty()) {
                found.addAll(dialect.problems(operation, current, here));
            }
            Schema before = current;
            Schema after = null;
            try {
                after = operation.applyTo(current);
            } catch (RuntimeException e) {
                // An invalid operation has no well-defined result; later operations are checked against the schema before it.
            }
            if (found.isEmpty() && after != null) {
                found.addAll(withEarlier(operation, before, after, earlier));
            }
            CompiledOperation compiled = null;
            if (found.isEmpty()) {
                compiled = dialect.compile(operation, current, here, position - 1);
                if (window != null) {
                    window = window.using(blockingTime(compiled));
                }
                try {
                    whileUp = SchemaChange.applyAll(whileUp, upEffects(compiled));
                } catch (IllegalStateException e) {
                    found.add(e.getMessage() + " while the up script runs: an earlier operation of this plan keeps what it replaces "
                            + "(a column, a table, a trigger) until its contract phase; make this change in a later migration");
                }
            }
            found.forEach(message -> problems.add(new Problem(location, message)));
            if (found.isEmpty()) {
                compiledAll.add(compiled);
                current = advance(current, operation, compiled);
                earlier.add(new Checked(position - 1, operation, before, current));
            } else if (after != null) {
                current = after;
            }
        }
        return new Checks(problems, compiledAll);
    }

    /** How long the operation's up steps block traffic, one after the other (claims of one step overlap). */
    private static Duration blockingTime(CompiledOperation compiled) {
        Duration total = Duration.ZERO;
        for (Step step : compiled.steps()) {
            if (step.phase() == Phase.CONTRACT) {
                continue;
            }
            total = total.plus(step.locks().stream().filter(LockClaim::blocksForLong)
                    .map(claim -> ((LockDuration.ProportionalToRows) claim.duration()).estimate())
                    .max(Duration::compareTo).orElse(Duration.ZERO));
        }
        return total;
    }

    private static List<SchemaChange> upEffects(CompiledOperation compiled) {
        return compiled.steps().stream().filter(step -> step.phase() != Phase.CONTRACT).flatMap(step -> step.effects().stream()).toList();
    }

    /** A valid operation of the plan, with the schema before and after it. */
    private record Checked(int position, Operation operation, Schema before, Schema after) {
    }

    /**
     * Problems of an operation that come from the valid operations before it in the plan:
     * <ul>
     *   <li>it may not compute from a column an earlier operation derives: its trigger and backfill
     *       would read values that are still being filled, in an order the database does not promise;</li>
     *   <li>an existing column's definition is changed by at most one operation: the steps run phase by
     *       phase, not in the order written, so a second change of the same column (drop NOT NULL after
     *       set NOT NULL, say) could run first. Columns the plan adds may be changed again.</li>
     * </ul>
     */
    private static List<String> withEarlier(Operation operation, Schema before, Schema after, List<Checked> earlier) {
        List<String> problems = new ArrayList<>();
        Set<ColumnName> mine = redefined(before, after, operation.table());
        for (Checked e : earlier) {
            if (!e.operation().table().equals(operation.table())) {
                continue;
            }
            String which = "operation " + e.position() + " (" + e.operation().describe() + ")";
            for (ColumnName column : operation.sourceColumns()) {
                if (e.operation().derivedColumns().contains(column)) {
                    problems.add("column \"" + column + "\" is computed by " + which + " until this migration is complete, so this "
                            + "operation cannot compute from it yet: run it in a later migration, once that one's contract phase has run");
                }
            }
            for (ColumnName column : redefined(e.before(), e.after(), operation.table())) {
                if (mine.contains(column)) {
                    problems.add("column \"" + column + "\" is already changed by " + which + "; the steps run phase by phase, not "
                            + "in the order written, so a second change of the same column in one migration could run first: combine "
                            + "them, or make this change in a later migration");
                }
            }
        }
        return problems;
    }

    /** Columns of the table that exist before and whose definition differs after, or that are gone. */
    private static Set<ColumnName> redefined(Schema before, Schema after, TableName table) {
        Set<ColumnName> changed = new LinkedHashSet<>();
        Optional<Table> a = before.table(table);
        Optional<Table> b = after.table(table);
        if (a.isEmpty()) {
            return changed;
        }
        for (Column column : a.get().columns()) {
            Optional<Column> now = b.flatMap(t -> t.column(column.name()));
            if (now.isEmpty() || !now.get().equals(column)) {
                changed.add(column.name());
            }
        }
        return changed;
    }

    /**
     * The schema the next operation is checked and compiled against: this operation's result, plus
     * the helper functions and triggers its up script creates. Those stay until the contract phase,
     * so while the up script runs they exist side by side with the next operation's, whose names
     * must not collide with them.
     */
    private static Schema advance(Schema current, Operation operation, CompiledOperation compiled) {
        Schema next = operation.applyTo(current);
        for (Step step : compiled.steps()) {
            if (step.phase() == Phase.CONTRACT) {
                continue;
            }
            for (SchemaChange effect : step.effects()) {
                if (effect instanceof SchemaChange.AddFunction f && !next.functions().contains(f.function())) {
                    next = f.apply(next);
                } else if (effect instanceof SchemaChange.AddTrigger t && next.table(t.table()).isPresent()
                        && next.table(t.table()).get().trigger(t.trigger().name()).isEmpty()) {
                    next = t.apply(next);
                }
            }
        }
        return next;
    }
}
