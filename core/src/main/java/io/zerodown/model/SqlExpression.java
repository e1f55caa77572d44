package io.zerodown.model;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;

/**
 * An SQL expression written by a migration author or read from DDL: a default, an index
 * predicate, a CHECK, a backfill value.
 *
 * <p>Expressions cannot be quoted like names, so they are parsed instead: {@link #sql()} returns
 * the expression re-printed from its syntax tree, which keeps exactly one expression and drops
 * comments and trailing text. Text that is not a single expression is an error reported by
 * validation ({@link #problem()}), never pasted into a script.
 */
public record SqlExpression(String source) {

    /**
     * SQL's niladic functions, which JSqlParser reads as column references when written without
     * quotes; they are not columns.
     */
    private static final Set<String> NILADIC = Set.of("current_user", "current_role", "session_user", "user",
            "current_catalog", "current_schema", "localtime", "localtimestamp", "current_date", "current_time",
            "current_timestamp", "system_user");

    public SqlExpression {
        Objects.requireNonNull(source, "expression");
    }

    public static SqlExpression of(String source) {
        return new SqlExpression(source);
    }

    /** Why the source is not one SQL expression, or empty when it is. */
    public java.util.Optional<String> problem() {
        if (source.isBlank()) {
            return java.util.Optional.of("the expression is empty");
        }
        try {
            parse();
            return java.util.Optional.empty();
        } catch (IllegalArgumentException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    /** The expression printed from its syntax tree. */
    public String sql() {
        return parse().toString();
    }

    /**
     * The names of the columns the expression reads, in order of appearance: a quoted name as
     * written, an unquoted one folded to lower case (as PostgreSQL folds it; MySQL and SQLite
     * compare column names without regard to case). Niladic functions such as
     * {@code current_user} or {@code localtimestamp} are not columns and are left out.
     */
    public Set<String> referencedColumns() {
        Set<String> names = new LinkedHashSet<>();
        parse().accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(Column column, S context) {
                String written = column.getColumnName();
                boolean quoted = written.startsWith("\"") || written.startsWith("`");
                if (quoted || !NILADIC.contains(written.toLowerCase(java.util.Locale.ROOT))) {
                    names.add(unquote(written));
                }
                return null;
            }
        }, null);
        return names;
    }

    private Expression parse() {
        try {
            return CCJSqlParserUtil.parseExpression(source, false);
        } catch (JSQLParserException | RuntimeException e) {
            throw new IllegalArgumentException("not a single SQL expression: '" + source + "'", e);
        }
    }

    private static String unquote(String name) {
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            return name.substring(1, name.length() - 1).replace("\"\"", "\"");
        }
        if (name.length() >= 2 && name.startsWith("`") && name.endsWith("`")) {
            return name.substring(1, name.length() - 1).replace("``", "`");
        }
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return source;
    }
}
