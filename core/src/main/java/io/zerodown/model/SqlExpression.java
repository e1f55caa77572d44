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

    /**
     * The expression with every reference to column {@code from} renamed {@code to}, the rest of
     * the text kept as written. A reference is a name outside string literals, written bare (folded
     * to lower case) or in double quotes, that is neither qualified ({@code t.x}), a type after
     * {@code ::}, nor a function's name (followed by {@code (}). The new name is written as
     * PostgreSQL's {@code quote_ident} writes it (bare when it is lower-case letters, digits and
     * underscores and not a keyword), and kept in quotes where the old name was quoted without
     * needing it, so renaming back gives the original text.
     */
    public SqlExpression withColumnRenamed(String from, String to) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '\'') {
                int end = closingQuote(source, i);
                out.append(source, i, end);
                i = end;
            } else if (c == '"') {
                int end = closingQuote(source, i);
                String name = source.substring(i + 1, Math.max(i + 1, end - 1)).replace("\"\"", "\"");
                if (name.equals(from) && isReference(out, source, end)) {
                    out.append(renderName(to, !needsQuotes(from)));
                } else {
                    out.append(source, i, end);
                }
                i = end;
            } else if (Character.isLetter(c) || c == '_' || c >= 0x80) {
                int end = i + 1;
                while (end < n && (Character.isLetterOrDigit(source.charAt(end)) || source.charAt(end) == '_'
                        || source.charAt(end) == '$' || source.charAt(end) >= 0x80)) {
                    end++;
                }
                String word = source.substring(i, end);
                if (foldAscii(word).equals(from) && isReference(out, source, end)) {
                    out.append(renderName(to, false));
                } else {
                    out.append(word);
                }
                i = end;
            } else if (Character.isDigit(c)) {
                int end = i + 1;
                while (end < n && (Character.isLetterOrDigit(source.charAt(end)) || source.charAt(end) == '_' || source.charAt(end) == '.')) {
                    end++;
                }
                out.append(source, i, end);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return new SqlExpression(out.toString());
    }

    /** PostgreSQL's keywords that {@code quote_ident} quotes (all but the unreserved ones). */
    private static final Set<String> QUOTED_KEYWORDS = Set.of("all", "analyse", "analyze", "and", "any", "array", "as", "asc",
            "asymmetric", "authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char",
            "character", "check", "coalesce", "collate", "collation", "column", "concurrently", "constraint", "create", "cross",
            "current_catalog", "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
            "current_user", "dec", "decimal", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists",
            "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant", "greatest", "group",
            "grouping", "having", "ilike", "in", "initially", "inner", "inout", "int", "integer", "intersect", "interval", "into",
            "is", "isnull", "join", "json", "json_array", "json_arrayagg", "json_exists", "json_object", "json_objectagg",
            "json_query", "json_scalar", "json_serialize", "json_table", "json_value", "lateral", "leading", "least", "left",
            "like", "limit", "localtime", "localtimestamp", "merge_action", "national", "natural", "nchar", "none", "normalize",
            "not", "notnull", "null", "nullif", "numeric", "offset", "on", "only", "or", "order", "out", "outer", "overlaps",
            "overlay", "placing", "position", "precision", "primary", "real", "references", "returning", "right", "row",
            "select", "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric", "system_user", "table",
            "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim", "true", "union", "unique", "user",
            "using", "values", "varchar", "variadic", "verbose", "when", "where", "window", "with", "xmlattributes",
            "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot",
            "xmlserialize", "xmltable");

    private static boolean needsQuotes(String name) {
        return !name.matches("[a-z_][a-z0-9_]*") || QUOTED_KEYWORDS.contains(name);
    }

    private static String renderName(String name, boolean keepQuotes) {
        return keepQuotes || needsQuotes(name) ? "\"" + name.replace("\"", "\"\"") + "\"" : name;
    }

    /** Whether the name that ends at {@code end} is a column reference: not qualified, not a type, not a function. */
    private static boolean isReference(CharSequence before, String text, int end) {
        String prior = before.toString().stripTrailing();
        if (prior.endsWith(".") || prior.endsWith("::")) {
            return false;
        }
        int next = end;
        while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
            next++;
        }
        return next >= text.length() || (text.charAt(next) != '(' && text.charAt(next) != '.');
    }

    private static int closingQuote(String text, int start) {
        char q = text.charAt(start);
        int end = start + 1;
        while (end < text.length()) {
            if (text.charAt(end) == q && end + 1 < text.length() && text.charAt(end + 1) == q) {
                end += 2;
            } else if (text.charAt(end) == q) {
                return end + 1;
            } else {
                end++;
            }
        }
        return text.length();
    }

    private static String foldAscii(String word) {
        StringBuilder folded = new StringBuilder(word.length());
        for (int k = 0; k < word.length(); k++) {
            char ch = word.charAt(k);
            folded.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + ('a' - 'A')) : ch);
        }
        return folded.toString();
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
