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

    /**
     * Round-trip cases: a main table, sometimes a second table referencing it, and a sequence of one
     * to four operations across them, requirements, an interruption point.
     */
    public static Arbitrary<RoundTripCase> cases() {
        return tables().flatMap(table -> Combinators.combine(
                Arbitraries.of(OperationKind.values()).list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.longs(),
                Arbitraries.of(true, false),
                Arbitraries.of(DowntimeTolerance.none(), DowntimeTolerance.devOnly(), DowntimeTolerance.maintenanceWindow(Duration.ofMinutes(30))),
                Arbitraries.of(RollbackRequirement.oneWay(), RollbackRequirement.reversibleFor(Duration.ofDays(7))),
                Arbitraries.integers().between(0, 8))
                .as((kinds, seed, withChild, downtime, rollback, interrupt) -> {
                    List<TableSpec> tables = new ArrayList<>(List.of(table));
                    if (withChild || kinds.stream().anyMatch(OperationKind::onChild)) {
                        tables.add(child(table, seed));
                    }
                    SequenceBuilder sequence = new SequenceBuilder(tables, new java.util.Random(seed));
                    kinds.forEach(sequence::add);
                    return new RoundTripCase(tables, sequence.plan(), sequence.rewritten(), sequence.moved(), downtime, rollback, interrupt);
                }));
    }

    /** The kinds of operation a generated sequence draws from; each is added only where the tables allow it. */
    enum OperationKind {
        SPLIT, MERGE, BACKFILL, BACKFILL_THEN_NOT_NULL, INDEX, PARTIAL_INDEX, CHECK, UNIQUE, DROP_NOT_NULL,
        ADD_COLUMN, ADD_COLUMN_WITH_DEFAULT, ADD_COLUMN_NOT_NULL_WITH_DEFAULT, ADD_COLUMN_VOLATILE_DEFAULT, ADD_IDENTITY_COLUMN,
        SET_DEFAULT, DROP_DEFAULT, RENAME_COLUMN, DROP_COLUMN, CHANGE_TYPE,
        CHILD_FOREIGN_KEY, CHILD_INDEX, CHILD_CHECK;

        boolean onChild() {
            return name().startsWith("CHILD_");
        }
    }

    /** A second table whose {@code parent ref} column points at the main table's keys (or is NULL). */
    private static TableSpec child(TableSpec parent, long seed) {
        java.util.Random random = new java.util.Random(~seed);
        List<ColumnSpec> columns = List.of(new ColumnSpec("parent ref", LogicalType.BIGINT, true), new ColumnSpec("note", LogicalType.TEXT, true));
        List<List<Object>> rows = new ArrayList<>();
        int count = random.nextInt(40);
        for (int r = 0; r < count; r++) {
            Long ref = parent.rows().isEmpty() || random.nextInt(5) == 0 ? null : (long) (1 + random.nextInt(parent.rows().size()));
            List<Object> row = new ArrayList<>();
            row.add(ref);
            row.add(random.nextInt(4) == 0 ? null : value(LogicalType.TEXT, random));
            rows.add(row);
        }
        return new TableSpec(parent.name().equals("kid\"s") ? "kid s" : "kid\"s", "id", columns, rows);
    }

    /**
     * Folds a list of operation kinds into a valid plan, tracking the columns each operation adds,
     * removes or fills, so that later operations only use what exists and constraints come after
     * the data that satisfies them.
     */
    private static final class SequenceBuilder {
        private final List<TableSpec> tables;
        private final java.util.Random random;
        private final java.util.Map<String, java.util.LinkedHashMap<String, LogicalType>> columns = new java.util.HashMap<>();
        private final java.util.Map<String, Set<String>> withoutNulls = new java.util.HashMap<>();
        private final java.util.Map<String, Set<String>> notNull = new java.util.HashMap<>();
        private final java.util.Map<String, Set<String>> rewritten = new java.util.HashMap<>();
        private final Set<String> objectNames = new HashSet<>();
        private final Set<String> splitSources = new HashSet<>();
        private final java.util.Map<String, Set<String>> moved = new java.util.HashMap<>();
        /** Columns of the main table an operation of the plan reads or constrains: not renamed, dropped or given a default later. */
        private final Set<String> used = new HashSet<>();
        private final Set<String> withDefault = new HashSet<>();
        /** Columns an operation of the plan computes by trigger and backfill: no later operation computes from them. */
        private final Set<String> derived = new HashSet<>();
        /** Pre-existing columns whose definition an operation of the plan changes: no second operation may (one per migration). */
        private final Set<String> modified = new HashSet<>();
        private final Set<String> addedWithDefault = new HashSet<>();
        private final Set<String> gone = new HashSet<>();
        private boolean identityAdded;
        private TableChanges changes;
        private String current;
        private boolean childReferences;

        SequenceBuilder(List<TableSpec> tables, java.util.Random random) {
            this.tables = tables;
            this.random = random;
            for (TableSpec t : tables) {
                var cols = new java.util.LinkedHashMap<String, LogicalType>();
                Set<String> full = new HashSet<>();
                Set<String> required = new HashSet<>();
                for (int i = 0; i < t.columns().size(); i++) {
                    ColumnSpec c = t.columns().get(i);
                    cols.put(c.name(), c.type());
                    final int column = i;
                    if (t.rows().stream().allMatch(row -> row.get(column) != null)) {
                        full.add(c.name());
                    }
                    if (!c.nullable()) {
                        required.add(c.name());
                    }
                }
                columns.put(t.name(), cols);
                withoutNulls.put(t.name(), full);
                notNull.put(t.name(), required);
                rewritten.put(t.name(), new HashSet<>());
                moved.put(t.name(), new HashSet<>());
            }
        }

        void add(OperationKind kind) {
            TableSpec main = tables.get(0);
            String m = main.name();
            switch (kind) {
                case SPLIT -> pick(textColumns(m).stream().filter(c -> !splitSources.contains(c) && !derived.contains(c) && !modified.contains(c))
                        .toList()).ifPresent(source -> {
                    // a second split of the same column would need a second sync trigger on it: refused until the first's contract
                    // a source something else uses (an index, a check) must be kept: the contract phase would drop it with the column
                    boolean keep = random.nextBoolean() || used.contains(source);
                    splitSources.add(source);
                    used.add(source);
                    String first = fresh(m, "first"), second = fresh(m, "second");
                    var into = (random.nextBoolean() ? on(m).splitColumn(source).atFirst(pick(" ", ",", " - ", "ö"))
                            : on(m).splitColumn(source).atLast(pick(" ", "ö"))).into(first, second).batched(1 + random.nextInt(40));
                    changes = keep ? into.keepSource() : into;
                    added(m, first, LogicalType.TEXT);
                    added(m, second, LogicalType.TEXT);
                    derived.add(first);
                    derived.add(second);
                    if (!keep) {
                        removed(m, source);
                        modified.add(source);
                    }
                });
                case MERGE -> {
                    List<String> text = textColumns(m).stream().filter(c -> !derived.contains(c)).toList();
                    if (text.size() >= 2) {
                        String target = fresh(m, "merged");
                        var merge = on(m).mergeColumns(text.get(0), text.get(1)).with(pick(" ", ", ")).into(target).batched(1 + random.nextInt(40));
                        changes = merge.keepSources();
                        used.add(text.get(0));
                        used.add(text.get(1));
                        added(m, target, LogicalType.TEXT);
                        derived.add(target);
                    }
                }
                case BACKFILL, BACKFILL_THEN_NOT_NULL -> pick(fillable(m)).ifPresent(column -> {
                    LogicalType type = columns.get(m).get(column);
                    String fallback = type.isText() ? "'-'" : type == LogicalType.BOOLEAN ? "false" : "0";
                    changes = on(m).backfill(column).with("coalesce(" + quoteForExpression(column) + ", " + fallback + ")")
                            .batched(1 + random.nextInt(40));
                    rewritten.get(m).add(column);
                    withoutNulls.get(m).add(column);
                    used.add(column);
                    derived.add(column);
                    if (kind == OperationKind.BACKFILL_THEN_NOT_NULL && !notNull.get(m).contains(column) && !modified.contains(column)) {
                        changes = changes.setNotNull(column);
                        notNull.get(m).add(column);
                        modified.add(column);
                    }
                });
                case INDEX -> pick(List.copyOf(columns.get(m).keySet())).ifPresent(column -> {
                    changes = on(m).createIndex(column).named(objectName("ix"));
                    used.add(column);
                });
                case PARTIAL_INDEX -> pick(List.copyOf(columns.get(m).keySet())).ifPresent(column -> {
                    changes = on(m).createIndex(column).where(quoteForExpression(column) + " IS NOT NULL").named(objectName("ix p"));
                    used.add(column);
                });
                case CHECK -> pick(textColumns(m)).ifPresent(column -> {
                    changes = on(m).addCheck(quoteForExpression(column) + " IS NULL OR length(" + quoteForExpression(column) + ") < 1000")
                            .named(objectName("ck"));
                    used.add(column);
                });
                case UNIQUE -> pick(List.copyOf(columns.get(m).keySet())).ifPresent(column -> {
                    changes = on(m).addUnique(main.key(), column).named(objectName("uq"));
                    used.add(column);
                });
                case DROP_NOT_NULL -> pick(notNull.get(m).stream().filter(c -> !modified.contains(c)).sorted().toList()).ifPresent(column -> {
                    modified.add(column);
                    changes = on(m).dropNotNull(column);
                    notNull.get(m).remove(column);
                    used.add(column);
                });
                case ADD_COLUMN -> {
                    String name = fresh(m, "added");
                    changes = on(m).addColumn(name, "text");
                    added(m, name, LogicalType.TEXT);
                }
                case ADD_COLUMN_WITH_DEFAULT -> {
                    String name = fresh(m, "added");
                    changes = on(m).addColumn(name, "integer").defaultValue(pick("7", "-1", "0"));
                    added(m, name, LogicalType.INTEGER);
                    addedWithDefault.add(name);
                }
                case ADD_COLUMN_NOT_NULL_WITH_DEFAULT -> {
                    String name = fresh(m, "added");
                    changes = on(m).addColumn(name, "text").notNull().defaultValue(pick("'n/a'", "'it''s'", "''"));
                    added(m, name, LogicalType.TEXT);
                }
                case ADD_COLUMN_VOLATILE_DEFAULT -> {
                    // random() is volatile: the default is filled into existing rows by a batched backfill, not a rewrite
                    String name = fresh(m, "added");
                    changes = on(m).addColumn(name, "double precision").defaultValue("random()").batched(1 + random.nextInt(40));
                    added(m, name, LogicalType.DECIMAL_12_2);
                }
                case ADD_IDENTITY_COLUMN -> {
                    if (!identityAdded) {
                        String name = fresh(m, "serial no");
                        changes = on(m).addColumn(name, "bigint").identity().batched(1 + random.nextInt(40));
                        added(m, name, LogicalType.BIGINT);
                        identityAdded = true;
                    }
                }
                case SET_DEFAULT -> pick(free(m)).ifPresent(column -> {
                    LogicalType type = columns.get(m).get(column);
                    changes = on(m).setDefault(column, switch (type) {
                        case TEXT, VARCHAR_100 -> "'def'";
                        case BOOLEAN -> "true";
                        case TIMESTAMP -> "CURRENT_TIMESTAMP";
                        default -> "42";
                    });
                    withDefault.add(column);
                    modified.add(column);
                });
                case DROP_DEFAULT -> pick(addedWithDefault.stream().sorted().toList()).ifPresent(column -> {
                    // a column this plan adds may be changed again; a pre-existing one only once per migration
                    changes = on(m).dropDefault(column);
                    addedWithDefault.remove(column);
                });
                case RENAME_COLUMN -> pick(free(m)).ifPresent(column -> {
                    String to = fresh(m, "renamed");
                    changes = on(m).renameColumn(column).to(to);
                    // old and new names coexist until the contract phase (or the old one is gone at once when
                    // renamed directly): nothing later in the plan uses either
                    LogicalType type = columns.get(m).get(column);
                    removed(m, column);
                    added(m, to, type);
                    used.add(to);
                    derived.add(to);
                    modified.add(column);
                    moved.get(m).add(column);
                });
                case DROP_COLUMN -> {
                    List<String> candidates = free(m);
                    if (columns.get(m).size() > 1) {
                        pick(candidates).ifPresent(column -> {
                            changes = on(m).dropColumn(column);
                            removed(m, column);
                            modified.add(column);
                            moved.get(m).add(column);
                        });
                    }
                }
                case CHANGE_TYPE -> pick(free(m).stream().filter(c -> widened(columns.get(m).get(c)) != null).toList()).ifPresent(column -> {
                    // widening only: in place (varchar to text, numeric precision up) or online (integer to bigint)
                    changes = on(m).changeType(column, widened(columns.get(m).get(column))).batched(1 + random.nextInt(40));
                    used.add(column);
                    derived.add(column);
                    modified.add(column);
                });
                case CHILD_FOREIGN_KEY -> {
                    if (!childReferences) {
                        changes = on(tables.get(1).name()).addForeignKey("parent ref").references(m).named(objectName("fk"));
                        childReferences = true;
                    }
                }
                case CHILD_INDEX -> changes = on(tables.get(1).name()).createIndex("note", "parent ref").named(objectName("ix c"));
                case CHILD_CHECK -> changes = on(tables.get(1).name()).addCheck("note IS NULL OR note <> 'forbidden'").named(objectName("ck c"));
            }
        }

        io.zerodown.model.operation.MigrationPlan plan() {
            if (changes == null) {
                // every drawn kind was impossible on these tables: an index on the key always is
                add(OperationKind.UNIQUE);
            }
            return changes.plan();
        }

        java.util.Map<String, Set<String>> rewritten() {
            return rewritten;
        }

        java.util.Map<String, Set<String>> moved() {
            return moved;
        }

        private static String widened(LogicalType type) {
            return switch (type) {
                case INTEGER -> "bigint";
                case VARCHAR_100 -> "text";
                case DECIMAL_12_2 -> "numeric(14,2)";
                default -> null;
            };
        }

        /** Pre-existing columns of the table that no operation of the plan has used yet. */
        private List<String> free(String table) {
            TableSpec spec = tables.stream().filter(t -> t.name().equals(table)).findFirst().orElseThrow();
            return spec.columns().stream().map(ColumnSpec::name)
                    .filter(c -> columns.get(table).containsKey(c) && !used.contains(c) && !withDefault.contains(c) && !modified.contains(c))
                    .toList();
        }

        private TableChanges on(String table) {
            if (changes == null) {
                changes = Migration.on(table);
            } else if (!table.equals(current)) {
                changes = changes.on(table);
            }
            current = table;
            return changes;
        }

        private List<String> textColumns(String table) {
            return columns.get(table).entrySet().stream().filter(e -> e.getValue().isText()).map(java.util.Map.Entry::getKey).toList();
        }

        /** Pre-existing columns a backfill may write: not timestamps (no portable literal), not already rewritten. */
        private List<String> fillable(String table) {
            TableSpec spec = tables.stream().filter(t -> t.name().equals(table)).findFirst().orElseThrow();
            return spec.columns().stream().filter(c -> c.type() != LogicalType.TIMESTAMP).map(ColumnSpec::name)
                    .filter(c -> columns.get(table).containsKey(c) && !rewritten.get(table).contains(c) && !derived.contains(c)).toList();
        }

        private void added(String table, String column, LogicalType type) {
            columns.get(table).put(column, type);
        }

        private void removed(String table, String column) {
            gone.add(column);
            columns.get(table).remove(column);
            notNull.get(table).remove(column);
        }

        /** A column name never used on the table in this plan: a dropped or replaced column stays until the contract phase. */
        private String fresh(String table, String stem) {
            String name = stem;
            for (int i = 2; columns.get(table).containsKey(name) || gone.contains(name); i++) {
                name = stem + i;
            }
            return name;
        }

        private String objectName(String stem) {
            String name = stem + " " + (objectNames.size() + 1);
            objectNames.add(name);
            return name;
        }

        private java.util.Optional<String> pick(List<String> options) {
            return options.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(options.get(random.nextInt(options.size())));
        }

        private String pick(String... options) {
            return options[random.nextInt(options.length)];
        }
    }

    /** A column name as it must appear in an SQL expression: double-quoted, quotes doubled. */
    public static String quoteForExpression(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
