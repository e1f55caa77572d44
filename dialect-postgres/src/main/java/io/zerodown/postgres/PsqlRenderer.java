package io.zerodown.postgres;

import io.zerodown.plan.Execution;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.Step;
import io.zerodown.spi.ScriptHeader;
import java.util.List;

/**
 * Renders steps as a script for {@code psql}: a commented header, {@code ON_ERROR_STOP}, and each
 * step with its locks and what an interruption leaves, in a transaction or alone as it requires.
 * A guarded step runs under {@code \if}, its condition read with {@code \gset}.
 *
 * <p>Text from the migration author (names, reasons) appears in comments only after line breaks
 * are removed, so that no name can end a comment and start a statement.
 */
final class PsqlRenderer {

    String render(ScriptHeader header, List<Step> steps) {
        StringBuilder sql = new StringBuilder();
        sql.append("-- zerodown · ").append(comment(header.title())).append('\n');
        for (String line : header.lines()) {
            sql.append("-- ").append(comment(line)).append('\n');
        }
        sql.append("--\n-- Run with: psql -v ON_ERROR_STOP=1 -f <this file>\n");
        sql.append("-- Never with --single-transaction or inside BEGIN: some steps must run outside a transaction.\n");
        sql.append("-- Safe to run again after a failure: every step skips or resumes what is already done.\n\n");
        sql.append("\\set ON_ERROR_STOP on\n\n");
        int n = 1;
        for (Step step : steps) {
            renderStep(sql, step, n++, steps.size());
        }
        sql.append("\\echo 'zerodown: ").append(echo(header.title())).append(" script complete'\n");
        return sql.toString();
    }

    private static void renderStep(StringBuilder sql, Step step, int n, int total) {
        sql.append("-- ─── Step ").append(n).append(" of ").append(total).append(" · ").append(step.phase().label())
                .append(" · ").append(comment(step.id())).append('\n');
        sql.append("-- ").append(comment(step.summary())).append('\n');
        sql.append("-- Runs ").append(step.execution() == Execution.IN_TRANSACTION ? "in one transaction" : "statement by statement, outside any transaction")
                .append(".\n");
        for (LockClaim claim : step.locks()) {
            sql.append("-- Lock: ").append(comment(claim.describe())).append('\n');
        }
        sql.append("-- If interrupted: ").append(comment(step.ifInterrupted())).append('\n');
        sql.append("\\echo 'zerodown: step ").append(n).append(" of ").append(total).append(": ").append(echo(step.summary())).append("'\n");
        boolean guarded = step.guard().isPresent();
        if (guarded) {
            sql.append(step.guard().get()).append(" AS zerodown_run_step \\gset\n");
            sql.append("\\if :zerodown_run_step\n");
        }
        boolean wrap = step.execution() == Execution.IN_TRANSACTION && step.statements().size() > 1;
        if (wrap) {
            sql.append("BEGIN;\n");
        }
        for (String statement : step.statements()) {
            sql.append(statement).append(";\n");
        }
        if (wrap) {
            sql.append("COMMIT;\n");
        }
        if (guarded) {
            sql.append("\\else\n\\echo 'zerodown: step ").append(n).append(" not needed, skipped'\n\\endif\n");
        }
        sql.append('\n');
    }

    /** Text safe inside a {@code --} comment: one line. */
    static String comment(String text) {
        return text.replace("\r", " ").replace("\n", " ");
    }

    /** Text safe inside a single-quoted psql {@code \echo} argument. */
    static String echo(String text) {
        return comment(text).replace("\\", "\\\\").replace("'", "''");
    }
}
