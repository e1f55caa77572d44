package io.zerodown.run;

import io.zerodown.plan.Execution;
import io.zerodown.plan.Step;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs steps over JDBC exactly as the rendered scripts run them: a step in one transaction or
 * statement by statement with autocommit, a guarded step only when its guard query returns true.
 * Database notices (the backfill's progress, lock retries) go to the log and to an optional
 * listener.
 *
 * <pre>{@code
 * try (Connection c = dataSource.getConnection()) {
 *     new StepRunner(c).run(pkg.up().steps());
 * }
 * }</pre>
 */
public final class StepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

    private final Connection connection;
    private final Consumer<String> notices;

    public StepRunner(Connection connection) {
        this(connection, notice -> { });
    }

    /** A runner that also hands every notice the database sends to {@code notices}. */
    public StepRunner(Connection connection, Consumer<String> notices) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.notices = Objects.requireNonNull(notices, "notices");
    }

    /**
     * Runs the steps in order and stops at the first failure.
     *
     * @return the ids of the steps that ran (guarded steps whose guard was false are left out)
     * @throws StepFailedException naming the step and statement that failed
     */
    public List<String> run(List<Step> steps) {
        List<String> ran = new ArrayList<>();
        for (Step step : steps) {
            if (run(step)) {
                ran.add(step.id());
            }
        }
        return ran;
    }

    /**
     * Runs one step.
     *
     * @return false when its guard said it was not needed
     */
    public boolean run(Step step) {
        try {
            boolean autoCommit = connection.getAutoCommit();
            try {
                if (step.guard().isPresent() && !guard(step)) {
                    LOG.info("step {} not needed, skipped", step.id());
                    return false;
                }
                LOG.info("step {}: {}", step.id(), step.summary());
                if (step.execution() == Execution.IN_TRANSACTION) {
                    runInTransaction(step);
                } else {
                    connection.setAutoCommit(true);
                    for (String sql : step.statements()) {
                        execute(step, sql);
                    }
                }
                return true;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StepFailedException(step, step.statements().get(0), e);
        }
    }

    private void runInTransaction(Step step) throws SQLException {
        connection.setAutoCommit(false);
        try {
            for (String sql : step.statements()) {
                execute(step, sql);
            }
            connection.commit();
        } catch (RuntimeException | SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    private boolean guard(Step step) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(step.guard().get())) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private void execute(Step step, String sql) {
        try (Statement statement = connection.createStatement()) {
            try {
                statement.execute(sql);
            } finally {
                report(statement.getWarnings());
            }
        } catch (SQLException e) {
            throw new StepFailedException(step, sql, e);
        }
    }

    private void report(SQLWarning warning) {
        for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
            LOG.info("{}", w.getMessage());
            notices.accept(w.getMessage());
        }
    }
}
