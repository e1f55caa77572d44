package io.zerodown.plan;

/**
 * The result a check query must return for the check to pass: the value of the first column of
 * its single row.
 */
public sealed interface Expectation {

    static Expectation isTrue() {
        return new IsTrue();
    }

    static Expectation count(long expected) {
        return new Count(expected);
    }

    static Expectation noRows() {
        return new NoRows();
    }

    /** Whether {@code value}, the first column of the first row as text (null when there is no row), passes. */
    boolean accepts(String value);

    String describe();

    /** One row whose first column is boolean true. */
    record IsTrue() implements Expectation {
        @Override
        public boolean accepts(String value) {
            return value != null && (value.equals("t") || value.equalsIgnoreCase("true") || value.equals("1"));
        }

        @Override
        public String describe() {
            return "true";
        }
    }

    /** One row whose first column is this number. */
    record Count(long expected) implements Expectation {
        @Override
        public boolean accepts(String value) {
            return value != null && value.trim().equals(Long.toString(expected));
        }

        @Override
        public String describe() {
            return Long.toString(expected);
        }
    }

    /** The query returns no row at all. */
    record NoRows() implements Expectation {
        @Override
        public boolean accepts(String value) {
            return value == null;
        }

        @Override
        public String describe() {
            return "no rows";
        }
    }
}
