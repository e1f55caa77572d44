package io.zerodown.dsl;

/** The value a backfill writes. */
public interface BackfillValue {

    /** An SQL expression over the row, e.g. {@code "lower(email)"}. */
    BackfillOptions with(String expression);
}
