package io.zerodown.postgres.schema;

import io.zerodown.model.SqlExpression;
import io.zerodown.model.SqlType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Column defaults as PostgreSQL prints them back ({@code pg_get_expr} of {@code pg_attrdef}), for the
 * common cases; any other default is kept as written. Checked against PostgreSQL 12 and 18:
 * <ul>
 *   <li>{@code NULL} (cast or not) is no default at all, except on a type with a length or precision,
 *       where it becomes {@code NULL::character varying} and the like;</li>
 *   <li>a call without arguments is lower case: {@code NOW()} is {@code now()};</li>
 *   <li>SQL's niladic functions are upper case: {@code current_timestamp} is {@code CURRENT_TIMESTAMP};</li>
 *   <li>an integer prints bare if it fits {@code integer}, as {@code '3000000000'::bigint} if it fits
 *       {@code bigint}; a negative one as {@code '-1'::integer} whatever the column's type;</li>
 *   <li>a decimal prints as {@code numeric} shows it ({@code .5} is {@code 0.5}), bare when it has a
 *       point, as {@code '1000'::numeric} otherwise ({@code 1e3}, {@code 5.}, negatives);</li>
 *   <li>{@code TRUE} is {@code true};</li>
 *   <li>a string takes the column's type: {@code 'x'::text}, {@code 'x'::character varying} (no
 *       length), {@code 'x'::bpchar}, {@code '{}'::jsonb}; on a number or boolean column it becomes
 *       that number or boolean;</li>
 *   <li>{@code nextval('s')} is {@code nextval('s'::regclass)}.</li>
 * </ul>
 */
final class PgDefaults {

    private static final Set<String> NILADIC = Set.of("CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIME",
            "LOCALTIMESTAMP", "CURRENT_USER", "CURRENT_ROLE", "SESSION_USER", "USER", "CURRENT_CATALOG", "CURRENT_SCHEMA");
    private static final Pattern NILADIC_WITH_PRECISION = Pattern.compile(
            "(?i)(current_timestamp|current_time|localtimestamp|localtime)\\s*\\(\\s*([0-9]+)\\s*\\)");
    private static final Pattern CALL_WITHOUT_ARGUMENTS = Pattern.compile("([A-Za-z_][A-Za-z0-9_$]*)\\s*\\(\\s*\\)");
    private static final Pattern NULL = Pattern.compile("(?i)null(\\s*::.*)?");
    private static final Pattern INTEGER = Pattern.compile("(-?)\\s*([0-9]+)");
    private static final Pattern DECIMAL = Pattern.compile("(-?)\\s*([0-9]*\\.[0-9]*|[0-9]+(?:\\.[0-9]*)?[eE][+-]?[0-9]+|\\.[0-9]+[eE][+-]?[0-9]+)");
    private static final Pattern STRING = Pattern.compile("'((?:[^']|'')*)'");
    private static final Pattern NEXTVAL = Pattern.compile(
            "(?i)nextval\\s*\\(\\s*'([^']+)'(?:\\s*::\\s*regclass)?\\s*\\)");
    private static final Pattern SEQUENCE_NAME = Pattern.compile(
            "(?:(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)\\.)?(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)");
    private static final Set<String> LENGTH_COERCED = Set.of("character varying", "character", "numeric", "bit",
            "bit varying", "timestamp without time zone", "timestamp with time zone", "time without time zone",
            "time with time zone");
    private static final Set<String> STRING_TYPES = Set.of("text", "character varying", "character", "bpchar", "json");
    private static final BigInteger INT4_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT4_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger INT8_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT8_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private PgDefaults() {
    }

    static Optional<SqlExpression> columnDefault(SqlExpression written, SqlType type) {
        String text = withoutParentheses(written.source().strip());
        Matcher nullValue = NULL.matcher(text);
        if (nullValue.matches()) {
            if (!hasLengthCoercion(type)) {
                return Optional.empty();
            }
            // The NULL is wrapped in the coercion to the type's length or precision, and kept.
            return Optional.of(nullValue.group(1) == null
                    ? SqlExpression.of("NULL::" + castName(type.name()) + "[]".repeat(type.arrayDimensions()))
                    : written);
        }
        return Optional.of(SqlExpression.of(printed(text, type).orElse(written.source())));
    }

    /** How PostgreSQL prints the default, when this knows; {@code text} is without outer parentheses. */
    private static Optional<String> printed(String text, SqlType type) {
        String upper = text.toUpperCase(Locale.ROOT);
        if (NILADIC.contains(upper)) {
            return Optional.of(upper);
        }
        Matcher m = NILADIC_WITH_PRECISION.matcher(text);
        if (m.matches()) {
            return Optional.of(m.group(1).toUpperCase(Locale.ROOT) + "(" + Integer.parseInt(m.group(2)) + ")");
        }
        m = CALL_WITHOUT_ARGUMENTS.matcher(text);
        if (m.matches()) {
            return Optional.of(PgIdentifiers.fold(m.group(1)) + "()");
        }
        if (upper.equals("TRUE") || upper.equals("FALSE")) {
            return Optional.of(upper.toLowerCase(Locale.ROOT));
        }
        m = INTEGER.matcher(text);
        if (m.matches()) {
            return Optional.of(integer(new BigInteger(m.group(1) + m.group(2))));
        }
        m = DECIMAL.matcher(text);
        if (m.matches() && m.group(2).chars().anyMatch(Character::isDigit)) {
            return Optional.of(numeric(new BigDecimal(m.group(1) + m.group(2))));
        }
        m = NEXTVAL.matcher(text);
        if (m.matches()) {
            return sequence(m.group(1)).map(s -> "nextval('" + s.replace("'", "''") + "'::regclass)");
        }
        m = STRING.matcher(text);
        if (m.matches()) {
            return string(m.group(1).replace("''", "'"), text, type);
        }
        return Optional.empty();
    }

    /** A constant PostgreSQL read as an integer: bare if it fits int4 and is not negative, cast otherwise. */
    private static String integer(BigInteger value) {
        String digits = value.toString();
        if (value.compareTo(INT4_MIN) >= 0 && value.compareTo(INT4_MAX) <= 0) {
            return value.signum() < 0 ? "'" + digits + "'::integer" : digits;
        }
        if (value.compareTo(INT8_MIN) >= 0 && value.compareTo(INT8_MAX) <= 0) {
            return "'" + digits + "'::bigint";
        }
        return "'" + digits + "'::numeric";
    }

    /** A numeric constant: bare when it starts with a digit and shows a point, quoted and cast otherwise. */
    private static String numeric(BigDecimal value) {
        String shown = value.toPlainString();
        return Character.isDigit(shown.charAt(0)) && shown.contains(".") ? shown : "'" + shown + "'::numeric";
    }

    /** A string constant coerced to the column's type, for the types whose value is kept as written. */
    private static Optional<String> string(String value, String literal, SqlType type) {
        if (type.arrayDimensions() > 0) {
            return value.equals("{}") ? Optional.of(literal + "::" + castName(type.name()) + "[]") : Optional.empty();
        }
        String name = type.name();
        if (STRING_TYPES.contains(name) || (name.equals("jsonb") && (value.equals("{}") || value.equals("[]")))) {
            return Optional.of(literal + "::" + castName(name));
        }
        if (name.equals("boolean")) {
            return bool(value);
        }
        if (value.matches("-?[0-9]+")) {
            BigInteger number = new BigInteger(value);
            switch (name) {
                case "integer":
                    return Optional.of(integer(number));
                case "bigint":
                    return Optional.of("'" + number + "'::bigint");
                case "smallint":
                    return Optional.of("'" + number + "'::smallint");
                case "numeric":
                    return Optional.of("'" + number + "'::numeric");
                default:
                    return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<String> bool(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (Set.of("t", "true", "y", "yes", "on", "1").contains(v)) {
            return Optional.of("true");
        }
        if (Set.of("f", "false", "n", "no", "off", "0").contains(v)) {
            return Optional.of("false");
        }
        return Optional.empty();
    }

    /** The type as a cast prints it, without modifiers: {@code character} is {@code bpchar}. */
    private static String castName(String type) {
        return switch (type) {
            case "character" -> "bpchar";
            case "bit" -> "\"bit\"";
            default -> type;
        };
    }

    /** Whether a value assigned to the column goes through a function applying the type's length or precision. */
    private static boolean hasLengthCoercion(SqlType type) {
        return !type.modifiers().isEmpty() && LENGTH_COERCED.contains(type.name());
    }

    /** The sequence as {@code regclass} prints it: folded, without {@code public.}, quoted if needed. */
    private static Optional<String> sequence(String written) {
        Matcher m = SEQUENCE_NAME.matcher(written.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String schema = m.group(1) == null ? null : name(m.group(1));
        String name = PgIdentifiers.quote(name(m.group(2)));
        return Optional.of(schema == null || schema.equals("public") ? name : PgIdentifiers.quote(schema) + "." + name);
    }

    private static String name(String written) {
        return written.startsWith("\"")
                ? written.substring(1, written.length() - 1).replace("\"\"", "\"")
                : PgIdentifiers.identifier(written, false);
    }

    /** The text without parentheses around all of it: {@code ((1))} is {@code 1}. */
    static String withoutParentheses(String text) {
        String t = text;
        while (t.startsWith("(") && t.endsWith(")") && closes(t)) {
            t = t.substring(1, t.length() - 1).strip();
        }
        return t;
    }

    /** Whether the first character's parenthesis is closed by the last character (outside strings). */
    private static boolean closes(String t) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\'') {
                inString = !inString;
            } else if (!inString && c == '(') {
                depth++;
            } else if (!inString && c == ')') {
                depth--;
                if (depth == 0 && i < t.length() - 1) {
                    return false;
                }
            }
        }
        return depth == 0;
    }
}
