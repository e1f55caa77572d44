package io.zerodown.model.schema;

import io.zerodown.model.FunctionName;
import io.zerodown.model.IndexName;
import io.zerodown.model.TableName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The schema a migration starts from, as parsed from DDL or read from a live database: tables
 * sorted by name, and the functions that triggers call.
 *
 * <p>Immutable: every change returns a new schema, which is how a plan is simulated without a
 * database (see {@code io.zerodown.plan.SchemaChange}).
 */
public record Schema(List<Table> tables, List<FunctionName> functions) {

    public Schema {
        tables = tables.stream().sorted(Comparator.comparing(t -> t.name().value())).toList();
        functions = functions.stream().sorted().distinct().toList();
    }

    public static Schema empty() {
        return new Schema(List.of(), List.of());
    }

    public static Schema of(Table... tables) {
        return new Schema(List.of(tables), List.of());
    }

    public Optional<Table> table(TableName name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The table, which must exist. */
    public Table requireTable(TableName name) {
        return table(name).orElseThrow(() -> new IllegalStateException("no table \"" + name + "\" in the schema"));
    }

    /** The index of that name on any table (index names are unique within a schema). */
    public Optional<Index> index(IndexName name) {
        return tables.stream().flatMap(t -> t.indexes().stream()).filter(i -> i.name().equals(name)).findFirst();
    }

    /** This schema with the table added, or replacing the one of the same name. */
    public Schema withTable(Table table) {
        Objects.requireNonNull(table, "table");
        List<Table> changed = new ArrayList<>();
        for (Table t : tables) {
            if (!t.name().equals(table.name())) {
                changed.add(t);
            }
        }
        changed.add(table);
        return new Schema(changed, functions);
    }

    public Schema withoutTable(TableName name) {
        return new Schema(tables.stream().filter(t -> !t.name().equals(name)).toList(), functions);
    }

    public Schema withFunctions(List<FunctionName> newFunctions) {
        return new Schema(tables, newFunctions);
    }
}
