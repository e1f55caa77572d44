package io.zerodown.postgres.schema;

import io.zerodown.model.SqlExpression;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.ArrayConstructor;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.CollateExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.RowConstructor;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;

/**
 * The name PostgreSQL figures for an index expression ({@code FigureColnameInternal}), from which it
 * names an unnamed index: a column's name, a function's name, {@code case}, {@code array},
 * {@code row}; for a cast, the name of what is cast, or else the type's internal name
 * ({@code (a + b)::bigint} gives {@code int8}). Anything else has no name ({@code expr}).
 */
final class PgExpressionNames {

    /** How the grammar renames SQL-standard type names before a cast keeps them. */
    private static final Map<String, String> TYPE_NAMES = Map.ofEntries(
            Map.entry("int", "int4"), Map.entry("integer", "int4"), Map.entry("smallint", "int2"),
            Map.entry("bigint", "int8"), Map.entry("real", "float4"), Map.entry("float", "float8"),
            Map.entry("double precision", "float8"), Map.entry("decimal", "numeric"), Map.entry("dec", "numeric"),
            Map.entry("boolean", "bool"), Map.entry("char", "bpchar"), Map.entry("character", "bpchar"),
            Map.entry("character varying", "varchar"), Map.entry("char varying", "varchar"),
            Map.entry("bit varying", "varbit"), Map.entry("timestamp without time zone", "timestamp"),
            Map.entry("timestamp with time zone", "timestamptz"), Map.entry("time without time zone", "time"),
            Map.entry("time with time zone", "timetz"));

    private PgExpressionNames() {
    }

    /** The expression's name, or empty when PostgreSQL would call it {@code expr}. */
    static Optional<String> figure(SqlExpression expression) {
        try {
            Named named = figure(CCJSqlParserUtil.parseExpression(expression.source(), false));
            return named.strength > 0 ? Optional.of(named.name) : Optional.empty();
        } catch (JSQLParserException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A name and how sure PostgreSQL is of it: 2 for a column or function, 1 for a cast's type, 0 for none. */
    private record Named(String name, int strength) {
        static final Named NONE = new Named(null, 0);
    }

    private static Named figure(Expression expression) {
        if (expression instanceof Column column) {
            return new Named(identifier(column.getColumnName()), 2);
        }
        if (expression instanceof Function function) {
            String name = function.getMultipartName().get(function.getMultipartName().size() - 1);
            return new Named(identifier(name), 2);
        }
        if (expression instanceof CastExpression cast) {
            Named inner = figure(cast.getLeftExpression());
            if (inner.strength > 1) {
                return inner;
            }
            return new Named(typeName(cast.getColDataType().getDataType()), 1);
        }
        if (expression instanceof Parenthesis parenthesis) {
            return figure(parenthesis.getExpression());
        }
        if (expression instanceof ExpressionList<?> list && list.size() == 1) {
            return figure(list.get(0));
        }
        if (expression instanceof CollateExpression collate) {
            return figure(collate.getLeftExpression());
        }
        if (expression instanceof CaseExpression) {
            return new Named("case", 2);
        }
        if (expression instanceof ArrayConstructor) {
            return new Named("array", 2);
        }
        if (expression instanceof RowConstructor<?>) {
            return new Named("row", 2);
        }
        return Named.NONE;
    }

    /** A cast's type as the grammar names it: internal names for SQL-standard spellings, the last part otherwise. */
    private static String typeName(String written) {
        String type = written.replaceAll("\\(.*$", "").replaceAll("\\[.*$", "").trim().replaceAll("\\s+", " ");
        if (type.startsWith("\"") && type.endsWith("\"")) {
            return type.substring(1, type.length() - 1).replace("\"\"", "\"");
        }
        type = type.toLowerCase(Locale.ROOT);
        if (type.contains(".")) {
            type = type.substring(type.lastIndexOf('.') + 1);
        }
        return TYPE_NAMES.getOrDefault(type, type);
    }

    private static String identifier(String written) {
        if (written.length() >= 2 && written.startsWith("\"") && written.endsWith("\"")) {
            return written.substring(1, written.length() - 1).replace("\"\"", "\"");
        }
        return PgIdentifiers.fold(written);
    }
}
