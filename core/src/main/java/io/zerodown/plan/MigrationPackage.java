package io.zerodown.plan;

import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.schema.Schema;
import io.zerodown.render.MarkdownRenderer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The complete output for one migration, as data first: the seven parts in order, plus the
 * schema before and (simulated) after. {@link #toMarkdown()} renders it as one document;
 * {@link #files()} gives the scripts as files.
 *
 * @param context       the inputs besides the change
 * @param plan          the change
 * @param schemaBefore  the schema it starts from
 * @param schemaAfter   the schema once every phase has run, simulated from the steps' effects
 * @param risk          1. risk assessment
 * @param strategy      2. strategy
 * @param up            3. up script: every phase before the contract phase
 * @param contract      3. (continued) the contract phase, run later (may be empty)
 * @param down          4. down script, and the contract-down script that undoes the contract phase
 * @param execution     5. execution plan
 * @param verification  6. verification queries
 * @param appChanges    7. application code changes, in timeline order
 * @param notes         semantics and assumptions worth knowing (e.g. how blank values are split)
 */
public record MigrationPackage(MigrationContext context, MigrationPlan plan, Schema schemaBefore, Schema schemaAfter,
                               RiskAssessment risk, Strategy strategy, Script up, Script contract, DownScript down,
                               ExecutionPlan execution, List<Check> verification, List<AppChange> appChanges,
                               List<String> notes) {

    public MigrationPackage {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(schemaBefore, "schemaBefore");
        Objects.requireNonNull(schemaAfter, "schemaAfter");
        Objects.requireNonNull(risk, "risk");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(up, "up");
        Objects.requireNonNull(contract, "contract");
        Objects.requireNonNull(down, "down");
        Objects.requireNonNull(execution, "execution");
        verification = List.copyOf(verification);
        appChanges = List.copyOf(appChanges);
        notes = List.copyOf(notes);
    }

    /** The whole package as one Markdown document, the seven sections in order. */
    public String toMarkdown() {
        return new MarkdownRenderer().render(this);
    }

    /**
     * The scripts as files, by file name: up, contract (when there is one), down, contract-down
     * (when the contract phase can be undone), and the whole document as {@code README.md}.
     */
    public Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(up.fileName(), up.sql());
        if (!contract.isEmpty()) {
            files.put(contract.fileName(), contract.sql());
        }
        files.put(down.script().fileName(), down.script().sql());
        if (!down.contractDown().isEmpty()) {
            files.put(down.contractDown().script().fileName(), down.contractDown().script().sql());
        }
        files.put("README.md", toMarkdown());
        return files;
    }
}
