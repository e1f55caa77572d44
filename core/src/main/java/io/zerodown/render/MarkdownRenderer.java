package io.zerodown.render;

import io.zerodown.model.context.Durations;
import io.zerodown.model.operation.Operation;
import io.zerodown.plan.AbortCriterion;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Check;
import io.zerodown.plan.Execution;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Monitor;
import io.zerodown.plan.Script;
import io.zerodown.plan.Step;
import io.zerodown.plan.Technique;
import java.util.List;

/**
 * Renders a {@link MigrationPackage} as one Markdown document with its seven sections in order:
 * risk, strategy, up script (and the contract phase), down script (and, when the contract phase
 * can be undone, the contract-down script), execution plan, verification, application changes.
 */
public final class MarkdownRenderer {

    public String render(MigrationPackage pkg) {
        StringBuilder md = new StringBuilder();
        header(md, pkg);
        risk(md, pkg);
        strategy(md, pkg);
        up(md, pkg);
        down(md, pkg);
        execution(md, pkg);
        verification(md, pkg);
        appChanges(md, pkg);
        return md.toString();
    }

    private static void header(StringBuilder md, MigrationPackage pkg) {
        var c = pkg.context();
        md.append("# Migration package: ").append(c.name()).append("\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "Target", c.target().toString());
        row(md, "Author", c.author());
        row(md, "Date", c.date().toString());
        if (!c.reason().isBlank()) {
            row(md, "Reason", c.reason());
        }
        row(md, "Downtime tolerance", c.downtime().describe());
        row(md, "Rollback requirement", c.rollback().describe());
        row(md, "Framework", c.framework().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        md.append('\n');
        md.append("Changes:\n");
        for (Operation op : pkg.plan().operations()) {
            md.append("- ").append(op.describe()).append('\n');
        }
        if (!pkg.notes().isEmpty()) {
            md.append("\nSemantics and assumptions:\n");
            pkg.notes().forEach(n -> md.append("- ").append(n).append('\n'));
        }
        md.append('\n');
    }

    private static void risk(StringBuilder md, MigrationPackage pkg) {
        var risk = pkg.risk();
        md.append("## 1. Risk assessment\n\n");
        md.append("**Risk: ").append(risk.level()).append("**\n\n");
        risk.reasons().forEach(r -> md.append("- ").append(r).append('\n'));
        md.append("\n### What could go wrong\n\n");
        if (risk.hazards().isEmpty()) {
            md.append("Nothing beyond the locks below.\n");
        }
        for (Hazard h : risk.hazards()) {
            md.append("- **").append(h.title()).append("** (").append(h.level()).append("). ").append(h.detail())
                    .append(" *Mitigation:* ").append(h.mitigation()).append('\n');
        }
        md.append("\n### Locks, statement by statement\n\n");
        md.append("| Step | Phase | Runs | Relation | Lock | Blocks | Work under the lock | Held |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Step step : risk.locks()) {
            String runs = step.execution() == Execution.IN_TRANSACTION ? "in a transaction" : "alone, outside a transaction";
            if (step.locks().isEmpty()) {
                md.append("| ").append(cell(step.summary())).append(" | ").append(step.phase().label()).append(" | ").append(runs)
                        .append(" | – | none on tables | – | – | – |\n");
            }
            for (LockClaim claim : step.locks()) {
                md.append("| ").append(cell(step.summary())).append(" | ").append(step.phase().label()).append(" | ").append(runs)
                        .append(" | ").append(cell(claim.relation())).append(" | ").append(claim.mode().displayName())
                        .append(" | ").append(claim.blocks().description()).append(" | ").append(claim.work().description())
                        .append(" | ").append(claim.duration().describe()).append(" |\n");
            }
        }
        md.append("\n### Blast radius: if a step fails halfway\n\n");
        for (Step step : risk.locks()) {
            md.append("- **").append(step.summary()).append("**: ").append(step.ifInterrupted()).append('\n');
        }
        md.append('\n');
    }

    private static void strategy(StringBuilder md, MigrationPackage pkg) {
        md.append("## 2. Strategy\n\n");
        md.append("Techniques: ").append(String.join(", ", pkg.strategy().techniques().stream().map(Technique::label).toList()))
                .append("\n\n");
        pkg.strategy().reasons().forEach(r -> md.append("- ").append(r).append('\n'));
        md.append('\n');
    }

    private static void up(StringBuilder md, MigrationPackage pkg) {
        md.append("## 3. Up script\n\n");
        scriptSummary(md, pkg.up());
        md.append("Run it with `psql -v ON_ERROR_STOP=1 -f ").append(pkg.up().fileName())
                .append("` (never with `--single-transaction`: some steps must run outside a transaction).\n\n");
        sql(md, pkg.up());
        if (!pkg.contract().isEmpty()) {
            md.append("### Contract phase (run later)\n\n");
            md.append("Run ").append(contractWhen(pkg)).append(".\n\n");
            scriptSummary(md, pkg.contract());
            sql(md, pkg.contract());
        }
    }

    private static String contractWhen(MigrationPackage pkg) {
        for (String line : pkg.contract().sql().lines().toList()) {
            int at = line.indexOf("Run: ");
            if (at >= 0) {
                return line.substring(at + 5).trim();
            }
        }
        return "once no deployed code uses what it removes";
    }

    private static void scriptSummary(StringBuilder md, Script script) {
        md.append("File `").append(script.fileName()).append("`: ").append(script.steps().size()).append(script.steps().size() == 1 ? " step" : " steps").append(", estimated run time ")
                .append(Durations.human(script.estimatedRunTime())).append(", longest blocking lock ")
                .append(script.blockingLockTime().isZero() ? "a catalog change (milliseconds)" : Durations.human(script.blockingLockTime()))
                .append(".\n\n");
    }

    private static void down(StringBuilder md, MigrationPackage pkg) {
        var down = pkg.down();
        md.append("## 4. Down script\n\n");
        md.append("**When it is safe to run:** ").append(down.safeWhen()).append("\n\n");
        md.append("**Data-loss risk:** ");
        if (down.dataLoss().isEmpty()) {
            md.append("none: no step's undoing loses data (each step's inverse removes what it added or restores what it changed).\n\n");
        } else {
            md.append('\n');
            down.dataLoss().forEach(d -> md.append("- ").append(d).append('\n'));
            md.append('\n');
        }
        if (!down.irreversible().isEmpty()) {
            md.append("**Not reversible:**\n");
            down.irreversible().forEach(d -> md.append("- ").append(d).append('\n'));
            md.append('\n');
        }
        scriptSummary(md, down.script());
        sql(md, down.script());
        var contractDown = down.contractDown();
        if (!contractDown.isEmpty()) {
            md.append("### Undoing the contract phase\n\n");
            md.append("**When it is safe to run:** ").append(contractDown.safeWhen()).append("\n\n");
            md.append("**Data-loss risk:** ");
            if (contractDown.dataLoss().isEmpty()) {
                md.append("none: each step's undoing brings back what the contract phase removed.\n\n");
            } else {
                md.append('\n');
                contractDown.dataLoss().forEach(d -> md.append("- ").append(d).append('\n'));
                md.append('\n');
            }
            if (!contractDown.notUndone().isEmpty()) {
                md.append("**Not undone (cannot be):**\n");
                contractDown.notUndone().forEach(d -> md.append("- ").append(d).append('\n'));
                md.append('\n');
            }
            scriptSummary(md, contractDown.script());
            md.append("Run it with `psql -v ON_ERROR_STOP=1 -f ").append(contractDown.script().fileName()).append("`.\n\n");
            sql(md, contractDown.script());
        }
    }

    private static void execution(StringBuilder md, MigrationPackage pkg) {
        var plan = pkg.execution();
        md.append("## 5. Execution plan\n\n### Before you start\n\n");
        int n = 1;
        for (Check check : plan.preChecks()) {
            md.append(n++).append(". ").append(check.description()).append(" Expect: **").append(check.expected().describe())
                    .append("**. If not: ").append(check.ifFailed()).append("\n\n");
            md.append("   ```sql\n").append(indent(check.sql(), "   ")).append("\n   ```\n\n");
        }
        if (!plan.checksBeforeSteps().isEmpty()) {
            md.append("### Right before a step\n\nThese operations follow others on the same table, which change what they check: "
                    + "run each check just before its step, not at the start.\n\n");
            for (var before : plan.checksBeforeSteps()) {
                Check check = before.check();
                md.append(n++).append(". Before `").append(before.stepId()).append("`: ").append(check.description()).append(" Expect: **")
                        .append(check.expected().describe()).append("**. If not: ").append(check.ifFailed()).append("\n\n");
                md.append("   ```sql\n").append(indent(check.sql(), "   ")).append("\n   ```\n\n");
            }
        }
        md.append("### While it runs\n\n");
        for (Monitor monitor : plan.monitoring()) {
            md.append("- **").append(monitor.what()).append("**: watch for ").append(monitor.watchFor()).append('\n');
            monitor.sql().ifPresent(sql -> md.append("\n  ```sql\n").append(indent(sql, "  ")).append("\n  ```\n\n"));
        }
        md.append("\n### When to stop and roll back\n\n");
        for (AbortCriterion abort : plan.abortCriteria()) {
            md.append("- **").append(abort.when()).append("**: ").append(abort.action()).append('\n');
        }
        md.append("\n### If a step fails\n\n");
        plan.howToRetry().forEach(h -> md.append("- ").append(h).append('\n'));
        md.append('\n');
    }

    private static void verification(StringBuilder md, MigrationPackage pkg) {
        md.append("## 6. Verification\n\nRun after the up script; each query must return the value shown.\n\n");
        int n = 1;
        for (Check check : pkg.verification()) {
            md.append(n++).append(". ").append(check.description()).append(" Expect: **").append(check.expected().describe())
                    .append("**. If not: ").append(check.ifFailed()).append("\n\n");
            md.append("   ```sql\n").append(indent(check.sql(), "   ")).append("\n   ```\n\n");
        }
    }

    private static void appChanges(StringBuilder md, MigrationPackage pkg) {
        md.append("## 7. Application changes\n\n");
        if (pkg.appChanges().isEmpty()) {
            md.append("None: the application needs no change.\n");
            return;
        }
        md.append("| When | Change | Old code against the new schema |\n|---|---|---|\n");
        for (AppChange change : pkg.appChanges()) {
            md.append("| ").append(change.timing() == AppChange.Timing.BEFORE ? "Before" : "After").append(" the ")
                    .append(change.phase().label()).append(" phase | ").append(cell(change.change())).append(" | ")
                    .append(cell(change.compatibility())).append(" |\n");
        }
    }

    private static void sql(StringBuilder md, Script script) {
        md.append("```sql\n").append(script.sql().stripTrailing()).append("\n```\n\n");
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(cell(value)).append(" |\n");
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String indent(String text, String prefix) {
        return String.join("\n", List.of(text.split("\n")).stream().map(l -> prefix + l).toList());
    }
}
