package io.zerodown.testing;

import io.zerodown.Migration;
import io.zerodown.dsl.TableChanges;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.RollbackRequirement;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of tables, rows and plans of supported operations, dialect-free. Names mix plain
 * identifiers with hostile ones (quotes, spaces, semicolons, comment markers, dollar quotes,
 * non-ASCII), all short enough for every dialect's identifier limit once derived names are added.
 */
public final class RoundTripGenerators {

    private static final List<String> HOSTILE = List.of("a\"b", "x y", "Ünï", "semi;colon", "dash--dash", "$zerodown$", "it's",
            "back\\slash", "UPPER", "select", "$function$", "tab\there");

    private RoundTripGenerators() {
    }

    /** A name: usually plain, sometimes hostile; at most 12 characters. */
    public static Arbitrary<String> names() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)
                .map(s -> "c_" + s);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, plain),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(HOSTILE)));
    }

    public static Arbitrary<TableSpec> tables() {
        Arbitrary<String> tableName = Arbitraries.oneOf(Arbitraries.of("users", "orders", "Mixed Case", "t;x", "q\"t"),
                names().map(n -> "t_" + n));
        Arbitrary<List<ColumnSpec>> columns = Combinators.combine(
                        names().list().ofMinSize(1).ofMaxSize(4).uniqueElements(),
                        Arbitraries.of(LogicalType.values()).list().ofSize(4),
                        Arbitraries.of(true, false).list().ofSize(4))
                .as((names, types, nullable) -> {
                    List<ColumnSpec> specs = new ArrayList<>();
                    for (int i = 0; i < names.size(); i++) {
                        specs.add(new ColumnSpec(names.get(i), types.get(i), nullable.get(i)));
                    }
                    // a text column to split, always present
                    specs.add(new ColumnSpec("full name", LogicalType.VARCHAR_100, true));
                    return specs;
                })
                .filter(specs -> specs.stream().map(ColumnSpec::name).distinct().count() == specs.size());
        return Combinators.combine(tableName, columns, Arbitraries.integers().between(0, 120), Arbitraries.longs())
                .as((name, cols, rowCount, seed) -> new TableSpec(name, "id", cols, rows(cols, rowCount, seed)));
    }

    private static List<List<Object>> rows(List<ColumnSpec> columns, int count, long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            List<Object> row = new ArrayList<>();
            for (ColumnSpec c : columns) {
                row.add(c.nullable() && random.nextInt(6) == 0 ? null : value(c.type(), random));
            }
            rows.add(row);
        }
        return rows;
    }

    private static Object value(LogicalType type, java.util.Random random) {
        String[] words = {"Ann", "Bo", "Cher", " Dee ", "Éa", "O'Neil", "x;y", "", " ", "a  b", "Zoë Smith", "van der Berg"};
        return switch (type) {
            case TEXT, VARCHAR_100 -> words[random.nextInt(words.length)] + (random.nextBoolean() ? " " + words[random.nextInt(words.length)] : "");
            case INTEGER -> random.nextInt();
            case BIGINT -> random.nextLong();
            case DECIMAL_12_2 -> BigDecimal.valueOf(random.nextInt(2_000_000_000), 2);
            case BOOLEAN -> random.nextBoolean();
            case TIMESTAMP -> java.sql.Timestamp.from(Instant.ofEpochSecond(1_600_000_000L + random.nextInt(100_000_000)));
        };
    }

    /** Round-trip cases: a table, one to three operations on it, requirements, an interruption point. */
    public static Arbitrary<RoundTripCase> cases() {
        return tables().flatMap(table -> Combinators.combine(
                plans(table),
                Arbitraries.of(DowntimeTolerance.none(), DowntimeTolerance.devOnly(), DowntimeTolerance.maintenanceWindow(Duration.ofMinutes(30))),
                Arbitraries.of(RollbackRequirement.oneWay(), RollbackRequirement.reversibleFor(Duration.ofDays(7))),
                Arbitraries.integers().between(0, 6))
                .as((plan, downtime, rollback, interrupt) -> new RoundTripCase(table, plan, downtime, rollback, interrupt)));
    }

    private static Arbitrary<io.zerodown.model.operation.MigrationPlan> plans(TableSpec table) {
        List<String> textColumns = table.columns().stream().filter(c -> c.type().isText()).map(ColumnSpec::name).toList();
        List<String> allColumns = table.columnNames();
        return Combinators.combine(
                        Arbitraries.of(textColumns),
                        Arbitraries.of(" ", ",", " - ", "ö"),
                        Arbitraries.of(true, false),
                        names().list().ofSize(2).uniqueElements(),
                        Arbitraries.integers().between(1, 40),
                        Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.of(allColumns))
                .as((source, separator, first, targets, batch, keep, indexes, indexed) -> {
                    Set<String> taken = new HashSet<>(allColumns);
                    List<String> fresh = targets.stream().map(t -> taken.contains(t) ? t + "_new" : t).toList();
                    var split = Migration.on(table.name()).splitColumn(source);
                    var into = (first ? split.atFirst(separator) : split.atLast(separator)).into(fresh.get(0), fresh.get(1)).batched(batch);
                    TableChanges changes = keep ? into.keepSource() : into;
                    if (indexes >= 1) {
                        changes = changes.createIndex(fresh.get(1)).where(quoteForExpression(fresh.get(1)) + " IS NOT NULL").named("ix_a_" + batch);
                    }
                    if (indexes >= 2 && !indexed.equals(source)) {
                        changes = changes.createIndex(indexed, fresh.get(0)).named("ix_b_" + batch);
                    }
                    return changes.plan();
                });
    }

    /** A column name as it must appear in an SQL expression: double-quoted, quotes doubled. */
    public static String quoteForExpression(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
