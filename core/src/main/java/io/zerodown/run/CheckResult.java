package io.zerodown.run;

import io.zerodown.plan.Check;

/**
 * The outcome of one check against a live database.
 *
 * @param check  the check
 * @param actual the first column of the first row as text, or null when the query returned no row
 * @param passed whether {@code actual} is the expected result
 */
public record CheckResult(Check check, String actual, boolean passed) {

    @Override
    public String toString() {
        return (passed ? "PASS " : "FAIL ") + check.description() + " (expected " + check.expected().describe() + ", got "
                + actual + ")";
    }
}
