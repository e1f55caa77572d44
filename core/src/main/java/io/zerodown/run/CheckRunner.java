package io.zerodown.run;

import io.zerodown.plan.Check;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Runs pre-checks or verification queries against a live database and compares their results. */
public final class CheckRunner {

    private CheckRunner() {
    }

    /** Runs every check; a query that fails to run counts as a failed check with the error as its result. */
    public static List<CheckResult> run(Connection connection, List<Check> checks) {
        List<CheckResult> results = new ArrayList<>();
        for (Check check : checks) {
            results.add(run(connection, check));
        }
        return results;
    }

    public static CheckResult run(Connection connection, Check check) {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(check.sql())) {
            String actual = rs.next() ? rs.getString(1) : null;
            return new CheckResult(check, actual, check.expected().accepts(actual));
        } catch (SQLException e) {
            return new CheckResult(check, "error: " + e.getMessage(), false);
        }
    }
}
