package io.zerodown.postgres.testing;

import io.zerodown.model.SqlExpression;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A schema with every expression text (defaults, checks, generated columns, index expressions
 * and predicates) normalised, so that a schema parsed or simulated by zerodown can be compared
 * with one read from the catalog, which PostgreSQL prints its own way ({@code now()} for
 * {@code NOW()}, casts, parentheses). Everything else (names, types, nullability, constraints,
 * index structure) is compared exactly.
 */
public final class ComparableSchema {

    private ComparableSchema() {
    }

    /** The schema with every expression text normalised (see the class comment). */
    public static Schema of(Schema schema) {
        return new Schema(schema.tables().stream().map(ComparableSchema::comparable).toList(), schema.functions());
    }

    private static Table comparable(Table table) {
        return new Table(table.name(),
                table.columns().stream().map(ComparableSchema::comparable).toList(),
                table.constraints().stream().map(c -> c instanceof Constraint.Check check
                        ? new Constraint.Check(check.name(), comparable(check.expression()), check.validated())
                        : c).toList(),
                table.indexes().stream().map(ComparableSchema::comparable).toList(),
                table.triggers());
    }

    private static Column comparable(Column column) {
        return column.withDefault(column.defaultValue().map(ComparableSchema::comparable))
                .withGeneration(column.generation().map(g -> g instanceof Generation.Stored stored
                        ? new Generation.Stored(comparable(stored.expression()))
                        : g));
    }

    private static Index comparable(Index index) {
        List<Index.Element> elements = index.elements().stream()
                .map(e -> e instanceof Index.Element.OfExpression x
                        ? (Index.Element) new Index.Element.OfExpression(comparable(x.expression()), x.descending())
                        : e)
                .toList();
        Optional<SqlExpression> predicate = index.predicate().map(ComparableSchema::comparable);
        return new Index(index.name(), index.table(), elements, index.unique(), predicate, index.method(), index.valid());
    }

    private static SqlExpression comparable(SqlExpression expression) {
        return SqlExpression.of(normalise(expression.source()));
    }

    private static final Pattern CAST = Pattern.compile(
            "::\\s*(?:\"[^\"]+\"|[a-z_][a-z0-9_.]*(?:\\s+varying|\\s+precision)?)(?:\\s*\\([0-9,\\s]+\\))?"
                    + "(?:\\s+with(?:out)?\\s+time\\s+zone)?(?:\\s*\\[\\s*\\])*");

    /**
     * An expression's text with PostgreSQL's way of printing it taken out: outside string literals,
     * lower case, no casts, {@code <>} for {@code !=}, no parentheses, no white space; quoted names
     * kept as written without their quotes (PostgreSQL quotes a name only where it must); quoted
     * numbers as numbers.
     */
    public static String normalise(String sql) {
        StringBuilder result = new StringBuilder();
        StringBuilder code = new StringBuilder();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c != '\'' && c != '"') {
                code.append(c);
                i++;
                continue;
            }
            int end = closing(sql, i);
            String quoted = sql.substring(i, end);
            result.append(normaliseCode(code.toString()));
            code.setLength(0);
            if (c == '"') {
                // A quoted name: kept as written, without its quotes (PostgreSQL quotes only where it must).
                result.append(quoted.substring(1, Math.max(1, quoted.length() - 1)).replace("\"\"", "\""));
            } else if (quoted.matches("'-?[0-9]+(\\.[0-9]+)?'")) {
                // PostgreSQL prints a negative or large number as a quoted literal with a cast ('-1'::integer).
                result.append(quoted, 1, quoted.length() - 1);
            } else {
                result.append(quoted);
            }
            i = end;
        }
        result.append(normaliseCode(code.toString()));
        return result.toString();
    }

    /** The index just past the quote that closes the one at {@code start} (a doubled quote does not close). */
    private static int closing(String sql, int start) {
        char q = sql.charAt(start);
        int end = start + 1;
        while (end < sql.length()) {
            if (sql.charAt(end) == q && end + 1 < sql.length() && sql.charAt(end + 1) == q) {
                end += 2;
            } else if (sql.charAt(end) == q) {
                return end + 1;
            } else {
                end++;
            }
        }
        return sql.length();
    }

    private static String normaliseCode(String code) {
        String lower = code.toLowerCase(java.util.Locale.ROOT);
        return CAST.matcher(lower).replaceAll("").replace("!=", "<>").replaceAll("[()\\s\"]", "");
    }
}
