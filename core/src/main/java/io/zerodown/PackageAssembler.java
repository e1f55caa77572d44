package io.zerodown;

import io.zerodown.model.TableName;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.Durations;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Blocking;
import io.zerodown.plan.Check;
import io.zerodown.plan.CheckBeforeStep;
import io.zerodown.plan.DownScript;
import io.zerodown.plan.ExecutionPlan;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.LockDuration;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Phase;
import io.zerodown.plan.RiskAssessment;
import io.zerodown.plan.RiskLevel;
import io.zerodown.plan.SchemaChange;
import io.zerodown.plan.Script;
import io.zerodown.plan.Step;
import io.zerodown.plan.Strategy;
import io.zerodown.plan.Technique;
import io.zerodown.spi.CompiledOperation;
import io.zerodown.spi.Dialect;
import io.zerodown.spi.GeneralAdvice;
import io.zerodown.spi.ScriptHeader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Merges the compiled operations of a plan into one package: orders steps by phase, derives the down script and the risk. */
final class PackageAssembler {

    private final Dialect dialect;
    private final MigrationContext context;
    private Set<TableName> createdByPlan = Set.of();

    PackageAssembler(Dialect dialect, MigrationContext context) {
        this.dialect = dialect;
        this.context = context;
    }

    MigrationPackage assemble(MigrationPlan plan, Schema before, List<CompiledOperation> compiled) {
        createdByPlan = plan.operations().stream()
                .filter(io.zerodown.model.operation.CreateTable.class::isInstance)
                .map(o -> o.table()).collect(java.util.stream.Collectors.toSet());
        // Phase by phase, keeping each operation's own order within a phase: all expansions before
        // any backfill, indexes after the data they cover, drops last.
        List<Step> ordered = compiled.stream()
                .flatMap(c -> c.steps().stream())
                .sorted(Comparator.comparing(Step::phase))
                .toList();
        requireUniqueIds(ordered);
        Schema after = simulate(before, ordered);

        List<Step> upSteps = ordered.stream().filter(s -> s.phase() != Phase.CONTRACT).toList();
        List<Step> contractSteps = ordered.stream().filter(s -> s.phase() == Phase.CONTRACT).toList();

        GeneralAdvice general = dialect.generalAdvice(ordered, context);
        RiskAssessment risk = assessRisk(ordered, compiled, general);
        Script up = script(context.name() + ".up.sql", upHeader(risk, upSteps), upSteps);
        Script contract = script(context.name() + ".contract.sql", contractHeader(contractSteps), contractSteps);
        DownScript down = down(upSteps, contractSteps);

        List<Check> preChecks = new ArrayList<>(general.preChecks());
        List<CheckBeforeStep> checksBeforeSteps = new ArrayList<>();
        for (CompiledOperation c : compiled) {
            // Checks of an operation whose table another operation changes first (in step order) describe the data and
            // catalog as they are when it starts, after those steps: they run right before its first step.
            int first = firstIndex(ordered, c.steps());
            boolean followsAnother = compiled.stream().anyMatch(other -> other != c && other.operation().table().equals(c.operation().table())
                    && firstIndex(ordered, other.steps()) < first);
            if (followsAnother && first < ordered.size()) {
                c.preChecks().forEach(check -> checksBeforeSteps.add(new CheckBeforeStep(ordered.get(first).id(), check)));
            } else {
                preChecks.addAll(c.preChecks());
            }
        }
        ExecutionPlan execution = new ExecutionPlan(
                preChecks,
                checksBeforeSteps,
                concat(general.monitoring(), compiled.stream().flatMap(c -> c.monitoring().stream()).toList()),
                concat(compiled.stream().flatMap(c -> c.abortCriteria().stream()).toList(), general.abortCriteria()),
                general.howToRetry());

        List<Check> verification = verification(plan, before, compiled);
        List<AppChange> appChanges = compiled.stream().flatMap(c -> c.appChanges().stream())
                .sorted(Comparator.comparingInt(AppChange::order)).toList();

        List<String> notes = new ArrayList<>();
        compiled.forEach(c -> notes.addAll(c.notes()));

        return new MigrationPackage(context, plan, before, after, risk, strategy(compiled),
                up, contract, down, execution, verification, appChanges, notes);
    }

    /**
     * The verification queries of every operation, except those of an operation whose column a
     * later operation of the plan changes again (drop NOT NULL, then backfill and set NOT NULL):
     * they describe a state the up script does not end in, and the later operation's describe the
     * final one.
     */
    private static List<Check> verification(MigrationPlan plan, Schema before, List<CompiledOperation> compiled) {
        List<Set<String>> changed = new ArrayList<>();
        Schema current = before;
        for (var operation : plan.operations()) {
            Schema next = operation.applyTo(current);
            Set<String> columns = changedColumns(current, next, operation.table());
            if (operation instanceof io.zerodown.model.operation.CreateTable) {
                columns.add(operation.table().value() + "\0*"); // its checks describe the whole table
            }
            changed.add(columns);
            current = next;
        }
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < compiled.size(); i++) {
            Set<String> mine = changed.get(i);
            boolean changedAgain = changed.subList(i + 1, changed.size()).stream().anyMatch(later -> later.stream()
                    .anyMatch(column -> mine.contains(column) || mine.contains(column.substring(0, column.indexOf('\0')) + "\0*")));
            if (!changedAgain) {
                checks.addAll(compiled.get(i).verifications());
            }
        }
        return checks;
    }

    /** "table\0column" of every column of the table added, removed or redefined between the two schemas (NUL is in no name). */
    private static Set<String> changedColumns(Schema a, Schema b, TableName table) {
        Set<String> changed = new HashSet<>();
        var left = a.table(table).map(t -> t.columns()).orElse(List.of());
        var right = b.table(table).map(t -> t.columns()).orElse(List.of());
        left.stream().filter(c -> !right.contains(c)).forEach(c -> changed.add(table.value() + "\0" + c.name().value()));
        right.stream().filter(c -> !left.contains(c)).forEach(c -> changed.add(table.value() + "\0" + c.name().value()));
        return changed;
    }

    /** The position of the first of these steps in the ordered list; past the end when there is none. */
    private static int firstIndex(List<Step> ordered, List<Step> steps) {
        for (int i = 0; i < ordered.size(); i++) {
            if (steps.contains(ordered.get(i))) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static void requireUniqueIds(List<Step> steps) {
        Set<String> seen = new HashSet<>();
        for (Step step : steps) {
            if (!seen.add(step.id())) {
                throw new IllegalStateException("internal error: two steps share the id " + step.id());
            }
        }
    }

    private static Schema simulate(Schema before, List<Step> steps) {
        Schema schema = before;
        for (Step step : steps) {
            try {
                schema = SchemaChange.applyAll(schema, step.effects());
            } catch (IllegalStateException e) {
                throw new IllegalStateException("internal error: step " + step.id() + " does not apply to the schema it runs on: "
                        + e.getMessage(), e);
            }
        }
        return schema;
    }

    private Script script(String fileName, ScriptHeader header, List<Step> steps) {
        String sql = steps.isEmpty() ? "" : dialect.render(header, steps);
        return new Script(fileName, steps, sql, totalEstimate(steps), longestBlockingLock(steps));
    }

    private static Duration totalEstimate(List<Step> steps) {
        return steps.stream().map(Step::estimate).reduce(Duration.ZERO, Duration::plus);
    }

    /** The longest time one step keeps reads or writes of others blocked once its lock is granted. */
    static Duration longestBlockingLock(List<Step> steps) {
        Duration longest = Duration.ZERO;
        for (Step step : steps) {
            for (LockClaim claim : step.blockingLocks()) {
                Duration held = heldFor(claim.duration());
                if (held.compareTo(longest) > 0) {
                    longest = held;
                }
            }
        }
        return longest;
    }

    private static Duration heldFor(LockDuration duration) {
        if (duration instanceof LockDuration.ProportionalToRows p) {
            return p.estimate();
        }
        if (duration instanceof LockDuration.PerBatch b) {
            return b.estimate();
        }
        return Duration.ZERO;
    }

    private ScriptHeader upHeader(RiskAssessment risk, List<Step> steps) {
        List<String> lines = new ArrayList<>(commonHeader());
        lines.add("Risk: " + risk.level());
        lines.add("Estimated run time: " + Durations.human(totalEstimate(steps)));
        lines.add("Lock duration: " + lockDurationLine(steps));
        lines.add("Phases: " + String.join(", ", steps.stream().map(s -> s.phase().label()).distinct().toList()));
        return new ScriptHeader("up", lines);
    }

    private ScriptHeader contractHeader(List<Step> steps) {
        List<String> lines = new ArrayList<>(commonHeader());
        lines.add("Run: " + contractTiming());
        lines.add("Estimated run time: " + Durations.human(totalEstimate(steps)));
        lines.add("Lock duration: " + lockDurationLine(steps));
        boolean undoable = steps.stream().anyMatch(s -> s.inverse() instanceof Inverse.Steps i && !i.steps().isEmpty());
        lines.add(undoable
                ? "Reversible: only by the contract-down script " + context.name() + ".contract-down.sql (see what it loses); "
                        + "once it has run, the down script no longer applies"
                : "Reversible: no; once it has run, the down script no longer applies");
        return new ScriptHeader("contract", lines);
    }

    private ScriptHeader downHeader() {
        List<String> lines = new ArrayList<>(commonHeader());
        lines.add("Undoes: the up script (expand, backfill and build phases); safe to run after an interrupted up script");
        return new ScriptHeader("down", lines);
    }

    private List<String> commonHeader() {
        List<String> lines = new ArrayList<>();
        lines.add("Migration: " + context.name());
        lines.add("Author: " + context.author());
        lines.add("Date: " + context.date());
        if (!context.reason().isBlank()) {
            lines.add("Reason: " + context.reason());
        }
        lines.add("Target: " + context.target());
        return lines;
    }

    private String lockDurationLine(List<Step> steps) {
        Duration longest = longestBlockingLock(steps);
        boolean anyBlocking = steps.stream().anyMatch(s -> !s.blockingLocks().isEmpty());
        String wait = " (waits for each lock are capped at " + Durations.human(context.lockPolicy().lockTimeout())
                + " by lock_timeout, " + context.lockPolicy().attempts() + " attempts)";
        if (!anyBlocking) {
            return "no lock that blocks reads or writes";
        }
        if (longest.isZero()) {
            return "blocking locks are held only for catalog changes (milliseconds)" + wait;
        }
        return "reads or writes blocked for up to " + Durations.human(longest) + " in one step" + wait;
    }

    String contractTiming() {
        if (context.rollback() instanceof RollbackRequirement.ReversibleFor r && !r.period().isZero()) {
            return "no earlier than " + context.date().plusDays(Math.max(1, r.period().toDays()))
                    + " (the " + Durations.human(r.period()) + " rollback period), and only once no deployed code uses what it removes";
        }
        return "once no deployed code uses what it removes (the change is one-way: no rollback period)";
    }

    /**
     * The down script (inverses of the up steps, in reverse order) and, apart from it, the
     * contract-down script (inverses of the contract steps that have one, in reverse order): the
     * contract phase runs after the rollback period, when the down script no longer applies, so
     * undoing it is a script of its own, run only after it.
     */
    private DownScript down(List<Step> upSteps, List<Step> contractSteps) {
        List<Step> downSteps = new ArrayList<>();
        List<String> dataLoss = new ArrayList<>();
        List<String> irreversible = new ArrayList<>();
        for (int i = upSteps.size() - 1; i >= 0; i--) {
            Step step = upSteps.get(i);
            if (step.inverse() instanceof Inverse.Steps s) {
                downSteps.addAll(s.steps());
                s.dataLoss().ifPresent(loss -> dataLoss.add(step.summary() + ": " + loss));
            } else if (step.inverse() instanceof Inverse.Irreversible r) {
                irreversible.add(step.summary() + ": " + r.reason());
            }
        }
        List<Step> contractDownSteps = new ArrayList<>();
        List<String> contractLoss = new ArrayList<>();
        List<String> notUndone = new ArrayList<>();
        for (int i = contractSteps.size() - 1; i >= 0; i--) {
            Step step = contractSteps.get(i);
            if (step.inverse() instanceof Inverse.Steps s && !s.steps().isEmpty()) {
                contractDownSteps.addAll(s.steps());
                s.dataLoss().ifPresent(loss -> contractLoss.add(step.summary() + ": " + loss));
            } else if (step.inverse() instanceof Inverse.Irreversible r) {
                notUndone.add(0, step.summary() + ": " + r.reason());
            }
        }
        String contractDownFile = context.name() + ".contract-down.sql";
        for (Step step : contractSteps) {
            if (step.inverse() instanceof Inverse.Irreversible r) {
                irreversible.add("contract · " + step.summary() + ": " + r.reason());
            } else if (step.inverse() instanceof Inverse.Steps s && !s.steps().isEmpty()) {
                irreversible.add("contract · " + step.summary() + ": not undone by the down script (it no longer applies once the "
                        + "contract script has run); the contract-down script " + contractDownFile + " undoes it"
                        + s.dataLoss().map(loss -> ", losing data: " + loss).orElse(", without losing data"));
            }
        }
        String safeWhen = "Any time before the contract phase runs, once every deployed version of the application works "
                + "without what the up script added (roll the application back first). Every step skips what is already undone, "
                + "so it can also follow an up script that stopped halfway. After the contract phase it no longer applies"
                + (contractDownSteps.isEmpty() ? "." : ": run the contract-down script " + contractDownFile + " first.");
        Script script = script(context.name() + ".down.sql", downHeader(), downSteps);
        String contractSafeWhen = "Only after the contract script has run, or stopped halfway (every step skips what is already "
                + "back), when what it removed is needed again: run it before deploying code that uses what it brings back. It "
                + "brings the schema back to where the up script left it, as far as each inverse can (see the data-loss risk), "
                + "so the down script applies again after it.";
        Script contractScript = script(contractDownFile, contractDownHeader(contractDownSteps, contractLoss, notUndone),
                contractDownSteps);
        return new DownScript(script, safeWhen, dataLoss, irreversible,
                new DownScript.ContractDown(contractScript, contractSafeWhen, contractLoss, notUndone));
    }

    private ScriptHeader contractDownHeader(List<Step> steps, List<String> dataLoss, List<String> notUndone) {
        List<String> lines = new ArrayList<>(commonHeader());
        lines.add("Undoes: the contract script; run only after it (or after it stopped halfway), never before it");
        lines.add("Estimated run time: " + Durations.human(totalEstimate(steps)));
        lines.add("Lock duration: " + lockDurationLine(steps));
        for (String loss : dataLoss) {
            lines.add("Data loss: " + loss);
        }
        for (String step : notUndone) {
            lines.add("Not undone: " + step);
        }
        return new ScriptHeader("contract-down", lines);
    }

    /**
     * The author's profile of the table; for a table the plan itself creates, an empty, quiet one;
     * otherwise the cautious default.
     */
    private TableProfile profile(TableName table) {
        if (context.hasProfile(table)) {
            return context.profile(table);
        }
        return createdByPlan.contains(table) ? TableProfile.of(0, 0, io.zerodown.model.context.ReadPattern.MIXED) : TableProfile.unknown();
    }

    private RiskAssessment assessRisk(List<Step> steps, List<CompiledOperation> compiled, GeneralAdvice general) {
        RiskLevel level = RiskLevel.LOW;
        List<String> reasons = new ArrayList<>();
        DowntimeTolerance downtime = context.downtime();
        Set<TableName> unprofiled = new LinkedHashSet<>();
        for (CompiledOperation c : compiled) {
            if (!context.hasProfile(c.operation().table()) && !createdByPlan.contains(c.operation().table())) {
                unprofiled.add(c.operation().table());
            }
        }
        for (Step step : steps) {
            for (LockClaim claim : step.blockingLocks()) {
                TableProfile profile = profile(TableName.of(claim.relation()));
                if (claim.blocksForLong()) {
                    Duration held = heldFor(claim.duration());
                    String what = "step \"" + step.summary() + "\" " + claim.blocks().description() + " on " + claim.relation()
                            + " for about " + Durations.human(held);
                    if (downtime instanceof DowntimeTolerance.DevOnly) {
                        level = level.max(RiskLevel.LOW);
                        reasons.add(what + ": acceptable on a development database");
                    } else if (downtime instanceof DowntimeTolerance.MaintenanceWindow w && held.compareTo(w.length()) <= 0) {
                        level = level.max(RiskLevel.MEDIUM);
                        reasons.add(what + ", within the " + Durations.human(w.length()) + " maintenance window");
                    } else {
                        level = level.max(RiskLevel.HIGH);
                        reasons.add(what + (downtime instanceof DowntimeTolerance.MaintenanceWindow w
                                ? ", longer than the " + Durations.human(w.length()) + " maintenance window" : ", and no downtime is allowed"));
                    }
                } else if (claim.blocks() != Blocking.NOTHING && profile.isBusy()
                        && !(downtime instanceof DowntimeTolerance.DevOnly)) {
                    level = level.max(RiskLevel.MEDIUM);
                    reasons.add("step \"" + step.summary() + "\" takes " + claim.mode().displayName() + " on busy table " + claim.relation()
                            + " (" + formatRate(profile.writesPerSecond()) + " writes/s): held for milliseconds, but while it waits every "
                            + (claim.blocks() == Blocking.READS_AND_WRITES ? "query" : "write") + " on the table queues behind it; "
                            + "lock_timeout caps the wait at "
                            + Durations.human(context.lockPolicy().lockTimeout()));
                }
            }
            if (step.phase() == Phase.CONTRACT && step.inverse() instanceof Inverse.Irreversible
                    && !(downtime instanceof DowntimeTolerance.DevOnly)) {
                level = level.max(RiskLevel.MEDIUM);
                reasons.add("the contract step \"" + step.summary() + "\" cannot be undone: run it only when no code needs what it removes");
            }
        }
        if (downtime instanceof DowntimeTolerance.MaintenanceWindow w) {
            Duration total = steps.stream().flatMap(s -> s.blockingLocks().stream()).map(c -> heldFor(c.duration()))
                    .reduce(Duration.ZERO, Duration::plus);
            if (total.compareTo(w.length()) > 0) {
                level = level.max(RiskLevel.HIGH);
                reasons.add("together the steps block traffic for about " + Durations.human(total) + ", longer than the "
                        + Durations.human(w.length()) + " maintenance window");
            }
        }
        List<Hazard> hazards = concat(compiled.stream().flatMap(c -> c.hazards().stream()).toList(), general.hazards());
        for (Hazard hazard : hazards) {
            if (hazard.level() != RiskLevel.LOW) {
                level = level.max(hazard.level());
                reasons.add(hazard.title() + " (" + hazard.level() + ")");
            }
        }
        for (TableName table : unprofiled) {
            reasons.add("no profile was given for table " + table + ": assumed large and busy ("
                    + String.format("%,d", TableProfile.unknown().approximateRows()) + " rows); give a TableProfile for sharper advice");
        }
        if (reasons.isEmpty()) {
            reasons.add("no step blocks reads or writes for longer than a catalog change, on tables that are neither large nor busy");
        }
        return new RiskAssessment(level, dedupe(reasons), hazards, steps);
    }

    private static Strategy strategy(List<CompiledOperation> compiled) {
        List<Technique> techniques = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (CompiledOperation c : compiled) {
            techniques.addAll(c.strategy().techniques());
            reasons.addAll(c.strategy().reasons());
        }
        return new Strategy(techniques, dedupe(reasons));
    }

    private static String formatRate(double perSecond) {
        return perSecond == Math.rint(perSecond) ? String.format("%,d", (long) perSecond) : String.format("%,.1f", perSecond);
    }

    private static List<String> dedupe(List<String> items) {
        return List.copyOf(new LinkedHashSet<>(items));
    }

    private static <T> List<T> concat(List<? extends T> a, List<? extends T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
