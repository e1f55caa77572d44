package io.zerodown.run;

import io.zerodown.plan.Step;
import java.sql.SQLException;

/** A step failed; the message names it, the statement, and the database's error and SQLSTATE. */
public class StepFailedException extends RuntimeException {

    private final transient Step step;
    private final String sqlState;

    public StepFailedException(Step step, String statement, SQLException cause) {
        super("step " + step.id() + " (" + step.summary() + ") failed: " + cause.getMessage()
                + " [SQLSTATE " + cause.getSQLState() + "]\n  in: " + firstLine(statement), cause);
        this.step = step;
        this.sqlState = cause.getSQLState();
    }

    public Step step() {
        return step;
    }

    /** The SQLSTATE of the database error, e.g. {@code 55P03} for a lock timeout. */
    public String sqlState() {
        return sqlState;
    }

    private static String firstLine(String statement) {
        String trimmed = statement.strip();
        int nl = trimmed.indexOf('\n');
        return nl < 0 ? trimmed : trimmed.substring(0, nl) + " …";
    }
}
