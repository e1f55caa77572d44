package io.zerodown.testing;

import java.util.List;

/**
 * A generated table: a bigint primary key {@code key}, other columns, and generated rows (one
 * list of values per row, in column order, {@code null} for NULL).
 */
public record TableSpec(String name, String key, List<ColumnSpec> columns, List<List<Object>> rows) {

    public TableSpec {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnSpec::name).toList();
    }
}
