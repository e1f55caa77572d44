package io.zerodown.model;

/**
 * An SQL identifier exactly as it is stored in the catalog: case and every character kept.
 *
 * <p>Names are never pasted into SQL: a dialect quotes them (see {@code Dialect#quote}). A name
 * is therefore any non-empty string; whether it is acceptable to a given database (length, NUL
 * characters) is checked when a plan is validated, so that every problem is reported together.
 */
public sealed interface SqlName
        permits TableName, ColumnName, IndexName, ConstraintName, TriggerName, FunctionName {

    /** The identifier, unquoted, as the catalog stores it. */
    String value();
}
