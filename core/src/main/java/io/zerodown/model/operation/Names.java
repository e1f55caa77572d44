package io.zerodown.model.operation;

import io.zerodown.model.ColumnName;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Looks up names and words problems about them, with a "did you mean" when a near name exists. */
final class Names {

    private Names() {
    }

    static String unknownTable(Schema schema, TableName table) {
        return "unknown table \"" + table + "\"" + suggestion(table.value(),
                schema.tables().stream().map(t -> t.name().value()).toList());
    }

    static String unknownColumn(Table table, ColumnName column) {
        return "unknown column \"" + column + "\" in table \"" + table.name() + "\"" + suggestion(column.value(),
                table.columns().stream().map(c -> c.name().value()).toList());
    }

    /** The table, or a problem saying it is unknown (added to {@code problems}). */
    static Optional<Table> table(Schema schema, TableName table, List<String> problems) {
        Optional<Table> found = schema.table(table);
        if (found.isEmpty()) {
            problems.add(unknownTable(schema, table));
        }
        return found;
    }

    /** Adds a problem for each column the table lacks. */
    static void requireColumns(Table table, List<ColumnName> columns, List<String> problems) {
        for (ColumnName column : columns) {
            if (!table.hasColumn(column)) {
                problems.add(unknownColumn(table, column));
            }
        }
    }

    /** A problem with the name itself, whatever the schema: empty, blank at the ends, a NUL. */
    static Optional<String> badName(String kind, String name) {
        if (name.isEmpty()) {
            return Optional.of(kind + " name is empty");
        }
        if (name.indexOf('\0') >= 0) {
            return Optional.of(kind + " name \"" + name.replace("\0", "\\0") + "\" contains a NUL character");
        }
        if (!name.equals(name.strip())) {
            return Optional.of(kind + " name \"" + name + "\" starts or ends with whitespace");
        }
        return Optional.empty();
    }

    private static String suggestion(String name, Collection<String> candidates) {
        List<String> close = candidates.stream()
                .filter(c -> c.equalsIgnoreCase(name) || distance(c.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT)) <= 2)
                .sorted(Comparator.comparingInt(c -> distance(c, name)))
                .limit(3)
                .toList();
        if (close.isEmpty()) {
            return "";
        }
        return " (did you mean " + String.join(" or ", close.stream().map(c -> "\"" + c + "\"").toList()) + "?)";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
