package io.zerodown.testing;

/** Column types the generators use, rendered per dialect by {@link DatabaseUnderTest#typeSql}. */
public enum LogicalType {
    TEXT, VARCHAR_100, INTEGER, BIGINT, DECIMAL_12_2, BOOLEAN, TIMESTAMP;

    public boolean isText() {
        return this == TEXT || this == VARCHAR_100;
    }
}
