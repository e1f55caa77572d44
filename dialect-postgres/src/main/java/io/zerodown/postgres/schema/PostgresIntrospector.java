package io.zerodown.postgres.schema;

import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.FunctionName;
import io.zerodown.model.IndexName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.SqlType;
import io.zerodown.model.TableName;
import io.zerodown.model.TriggerName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Constraint.ReferentialAction;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import io.zerodown.model.schema.Trigger;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the schema model of one namespace from PostgreSQL's catalog (12 to 18), with plain JDBC.
 *
 * <p>What is read:
 * <ul>
 *   <li>tables ({@code relkind} {@code r} and {@code p}) and their columns in {@code attnum} order:
 *       type as {@code format_type} prints it, nullability, default as {@code pg_get_expr} prints it;
 *       identity columns ({@code attidentity}), stored generated columns (their expression, no
 *       default) and serial columns (a {@code nextval} default of a sequence the column owns);</li>
 *   <li>PRIMARY KEY, UNIQUE, CHECK and FOREIGN KEY constraints, with {@code convalidated}; the
 *       NOT NULL constraints PostgreSQL 18 keeps in {@code pg_constraint} are left out (nullability
 *       is on the column);</li>
 *   <li>indexes that do not back a PRIMARY KEY, UNIQUE or EXCLUDE constraint of their table, with
 *       their key columns or expressions, descending keys, predicate, method and validity;</li>
 *   <li>user triggers and the function each calls; the functions of the namespace that no
 *       extension owns.</li>
 * </ul>
 * What the model does not hold is not read: collations, operator classes, INCLUDE columns, the
 * order of NULLs in an index, deferrability, identity sequence options. What it cannot hold at all
 * is an error: an EXCLUDE constraint, a virtual generated column (PostgreSQL 18), a column type the
 * model cannot spell ({@code "char"}, a quoted type name).
 *
 * <p>Each part is one query; run it in a REPEATABLE READ transaction if the schema may change while
 * it is read.
 */
public final class PostgresIntrospector {

    private PostgresIntrospector() {
    }

    /** The schema of the {@code public} namespace. */
    public static Schema read(Connection connection) throws SQLException {
        return read(connection, "public");
    }

    /**
     * The schema of one namespace.
     *
     * @param schemaName the namespace, exactly as the catalog stores it
     * @throws IllegalArgumentException when the namespace does not exist
     * @throws IllegalStateException    when it holds something the model cannot represent
     */
    public static Schema read(Connection connection, String schemaName) throws SQLException {
        long namespace = namespace(connection, schemaName);
        Map<Long, TableParts> tables = tables(connection, namespace);
        readColumns(connection, namespace, tables);
        readConstraints(connection, namespace, tables);
        readIndexes(connection, namespace, tables);
        readTriggers(connection, namespace, tables);
        return new Schema(tables.values().stream().map(TableParts::toTable).toList(), functions(connection, namespace));
    }

    /** What is known of one table so far. */
    private static final class TableParts {
        final TableName name;
        final List<Column> columns = new ArrayList<>();
        final List<Constraint> constraints = new ArrayList<>();
        final List<Index> indexes = new ArrayList<>();
        final List<Trigger> triggers = new ArrayList<>();

        TableParts(TableName name) {
            this.name = name;
        }

        Table toTable() {
            return new Table(name, columns, constraints, indexes, triggers);
        }
    }

    private static long namespace(Connection connection, String schemaName) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT oid::bigint FROM pg_namespace WHERE nspname = ?")) {
            s.setString(1, schemaName);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("schema \"" + schemaName + "\" does not exist in database \""
                            + connection.getCatalog() + "\": check its name (the catalog's spelling, case included)");
                }
                return rs.getLong(1);
            }
        }
    }

    private static Map<Long, TableParts> tables(Connection connection, long namespace) throws SQLException {
        Map<Long, TableParts> tables = new LinkedHashMap<>();
        query(connection, """
                SELECT c.oid::bigint, c.relname FROM pg_class c
                WHERE c.relnamespace = ?::oid AND c.relkind IN ('r', 'p')
                ORDER BY c.relname""", namespace,
                rs -> tables.put(rs.getLong(1), new TableParts(TableName.of(rs.getString(2)))));
        return tables;
    }

    private static void readColumns(Connection connection, long namespace, Map<Long, TableParts> tables) throws SQLException {
        // serial_default: what PostgreSQL prints for a default taking values from the sequence the column owns.
        query(connection, """
                SELECT a.attrelid::bigint, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                       pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text,
                       s.relname, format('nextval(%L::regclass)', s.oid::regclass::text)
                FROM pg_attribute a
                JOIN pg_class c ON c.oid = a.attrelid
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                LEFT JOIN LATERAL (
                    SELECT seq.oid, seq.relname FROM pg_depend dep JOIN pg_class seq ON seq.oid = dep.objid
                    WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
                      AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum
                      AND dep.deptype = 'a' AND seq.relkind = 'S'
                    LIMIT 1) s ON true
                WHERE c.relnamespace = ?::oid AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attrelid, a.attnum""", namespace, rs -> {
            TableParts table = tables.get(rs.getLong(1));
            String name = rs.getString(2);
            SqlType type = type(table.name, name, rs.getString(3));
            boolean nullable = !rs.getBoolean(4);
            Optional<String> defaultText = Optional.ofNullable(rs.getString(5));
            String identity = rs.getString(6);
            String generated = rs.getString(7);
            Optional<SqlExpression> defaultValue = defaultText.map(SqlExpression::of);
            Optional<Generation> generation = Optional.empty();
            if (identity.equals("a") || identity.equals("d")) {
                generation = Optional.of(new Generation.Identity(identity.equals("a")));
            } else if (generated.equals("s")) {
                generation = Optional.of(new Generation.Stored(SqlExpression.of(defaultText.orElseThrow())));
                defaultValue = Optional.empty();
            } else if (!generated.isEmpty()) {
                throw new IllegalStateException("column \"" + name + "\" of table \"" + table.name + "\" is a virtual generated"
                        + " column, which zerodown does not model: make it STORED or leave the table out");
            } else if (rs.getString(8) != null && defaultText.equals(Optional.of(rs.getString(9)))) {
                generation = Optional.of(new Generation.Serial(rs.getString(8)));
            }
            table.columns.add(new Column(ColumnName.of(name), type, nullable, defaultValue, generation));
        });
    }

    private static SqlType type(TableName table, String column, String formatted) {
        try {
            return SqlType.parse(formatted);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("column \"" + column + "\" of table \"" + table + "\" has type " + formatted
                    + ", which zerodown's type model cannot spell (" + e.getMessage() + ")", e);
        }
    }

    private static void readConstraints(Connection connection, long namespace, Map<Long, TableParts> tables) throws SQLException {
        query(connection, """
                SELECT con.conrelid::bigint, con.conname, con.contype::text, con.convalidated,
                       pg_get_expr(con.conbin, con.conrelid),
                       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord),
                       referenced.relname,
                       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord),
                       con.confdeltype::text, con.confupdtype::text
                FROM pg_constraint con
                JOIN pg_class c ON c.oid = con.conrelid
                LEFT JOIN pg_class referenced ON referenced.oid = con.confrelid
                WHERE c.relnamespace = ?::oid AND c.relkind IN ('r', 'p') AND con.contype NOT IN ('n', 't')
                ORDER BY con.conrelid, con.conname""", namespace, rs -> {
            TableParts table = tables.get(rs.getLong(1));
            ConstraintName name = ConstraintName.of(rs.getString(2));
            List<ColumnName> columns = columnNames(rs.getArray(6));
            Constraint constraint = switch (rs.getString(3)) {
                case "p" -> new Constraint.PrimaryKey(name, columns);
                case "u" -> new Constraint.Unique(name, columns);
                case "c" -> new Constraint.Check(name, SqlExpression.of(rs.getString(5)), rs.getBoolean(4));
                case "f" -> new Constraint.ForeignKey(name, columns, TableName.of(rs.getString(7)), columnNames(rs.getArray(8)),
                        action(rs.getString(9)), action(rs.getString(10)), rs.getBoolean(4));
                default -> throw new IllegalStateException("constraint \"" + name + "\" of table \"" + table.name + "\" is an "
                        + (rs.getString(3).equals("x") ? "EXCLUDE constraint" : "unknown kind (" + rs.getString(3) + ")")
                        + ", which zerodown does not model");
            };
            table.constraints.add(constraint);
        });
    }

    private static ReferentialAction action(String code) {
        return switch (code) {
            case "a" -> ReferentialAction.NO_ACTION;
            case "r" -> ReferentialAction.RESTRICT;
            case "c" -> ReferentialAction.CASCADE;
            case "n" -> ReferentialAction.SET_NULL;
            case "d" -> ReferentialAction.SET_DEFAULT;
            default -> throw new IllegalStateException("unknown referential action '" + code + "' in pg_constraint");
        };
    }

    private static List<ColumnName> columnNames(Array array) throws SQLException {
        return Arrays.stream((Object[]) array.getArray()).map(o -> ColumnName.of((String) o)).toList();
    }

    private static void readIndexes(Connection connection, long namespace, Map<Long, TableParts> tables) throws SQLException {
        Map<Long, List<Index.Element>> elements = new LinkedHashMap<>();
        query(connection, """
                SELECT i.indexrelid::bigint, a.attname, pg_get_indexdef(i.indexrelid, k.ord::int, true),
                       (i.indoption[(k.ord - 1)::int] & 1) = 1
                FROM pg_index i
                JOIN pg_class c ON c.oid = i.indrelid
                CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
                WHERE c.relnamespace = ?::oid AND c.relkind IN ('r', 'p') AND k.ord <= i.indnkeyatts
                ORDER BY i.indexrelid, k.ord""", namespace, rs -> {
            boolean descending = rs.getBoolean(4);
            Index.Element element = rs.getString(2) != null
                    ? new Index.Element.OfColumn(ColumnName.of(rs.getString(2)), descending)
                    : new Index.Element.OfExpression(SqlExpression.of(rs.getString(3)), descending);
            elements.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(element);
        });
        query(connection, """
                SELECT i.indexrelid::bigint, i.indrelid::bigint, ic.relname, i.indisunique, i.indisvalid, am.amname,
                       pg_get_expr(i.indpred, i.indrelid)
                FROM pg_index i
                JOIN pg_class c ON c.oid = i.indrelid
                JOIN pg_class ic ON ic.oid = i.indexrelid
                JOIN pg_am am ON am.oid = ic.relam
                WHERE c.relnamespace = ?::oid AND c.relkind IN ('r', 'p')
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                                  WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                                    AND con.contype IN ('p', 'u', 'x'))""", namespace, rs -> {
            TableParts table = tables.get(rs.getLong(2));
            table.indexes.add(new Index(IndexName.of(rs.getString(3)), table.name, elements.get(rs.getLong(1)),
                    rs.getBoolean(4), Optional.ofNullable(rs.getString(7)).map(SqlExpression::of), rs.getString(6), rs.getBoolean(5)));
        });
    }

    private static void readTriggers(Connection connection, long namespace, Map<Long, TableParts> tables) throws SQLException {
        query(connection, """
                SELECT t.tgrelid::bigint, t.tgname, p.proname
                FROM pg_trigger t
                JOIN pg_class c ON c.oid = t.tgrelid
                JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE c.relnamespace = ?::oid AND c.relkind IN ('r', 'p') AND NOT t.tgisinternal""", namespace, rs -> {
            TableParts table = tables.get(rs.getLong(1));
            table.triggers.add(new Trigger(TriggerName.of(rs.getString(2)), FunctionName.of(rs.getString(3))));
        });
    }

    private static List<FunctionName> functions(Connection connection, long namespace) throws SQLException {
        List<FunctionName> functions = new ArrayList<>();
        query(connection, """
                SELECT p.proname FROM pg_proc p
                WHERE p.pronamespace = ?::oid AND p.prokind = 'f'
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')""",
                namespace, rs -> functions.add(FunctionName.of(rs.getString(1))));
        return functions;
    }

    /** A row of a catalog query. */
    @FunctionalInterface
    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void query(Connection connection, String sql, long namespace, Row row) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setLong(1, namespace);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        }
    }
}
