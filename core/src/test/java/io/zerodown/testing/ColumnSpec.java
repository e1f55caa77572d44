package io.zerodown.testing;

/** A generated column: exact name, type, nullability. */
public record ColumnSpec(String name, LogicalType type, boolean nullable) {
}
