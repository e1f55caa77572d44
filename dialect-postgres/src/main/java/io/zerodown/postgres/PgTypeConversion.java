package io.zerodown.postgres;

import io.zerodown.model.SqlType;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What changing a column from one type to another does on PostgreSQL, as data: whether it is a
 * catalog change only (no rewrite, indexes kept), an exact conversion that rewrites the table, or
 * one that can lose or change values (and then needs the author's {@code using(…)}).
 *
 * <p>The in-place (binary-coercible, no rewrite) cases were checked on PostgreSQL 12 and 18 by
 * {@code relfilenode} of the table and of an index on the column: {@code varchar(n)} to
 * {@code varchar(m ≥ n)}, {@code varchar} or {@code text}; {@code text} to {@code varchar};
 * {@code numeric(p,s)} to {@code numeric(p' ≥ p, s)} or {@code numeric}; {@code varbit(n)} to
 * {@code varbit(m ≥ n)} or {@code varbit}; {@code timestamp(p)}, {@code timestamptz(p)} and
 * {@code time(p)} to a precision at least {@code p} or none; {@code cidr} to {@code inet}. Every
 * other change rewrites the table and rebuilds all its indexes (int to bigint, a numeric scale
 * change, {@code char(n)} to anything, narrowing, and any change of an array type, even
 * {@code varchar(10)[]} to {@code text[]}).
 *
 * <p>Types are in PostgreSQL's own spelling ({@code character varying}, not {@code varchar}).
 */
final class PgTypeConversion {

    /** How a conversion behaves. */
    enum Kind {
        /** The same type: nothing to do. */
        SAME,
        /** Catalog change only: no row is read or written, indexes are kept. */
        IN_PLACE,
        /** Every value converts exactly, but the table and its indexes are rewritten. */
        EXACT_REWRITE,
        /** Some values may fail to convert or change: the author must say how ({@code using}). */
        LOSSY
    }

    private static final Set<String> TEXTUAL = Set.of("character varying", "text");
    private static final Set<String> PRECISION_TYPES = Set.of("timestamp without time zone", "timestamp with time zone",
            "time without time zone");
    private static final List<String> INTEGERS = List.of("smallint", "integer", "bigint");

    private PgTypeConversion() {
    }

    static Kind classify(SqlType from, SqlType to) {
        if (from.equals(to)) {
            return Kind.SAME;
        }
        if (from.arrayDimensions() != to.arrayDimensions()) {
            return Kind.LOSSY;
        }
        if (from.arrayDimensions() > 0) {
            // An array type is never changed in place, not even varchar(10)[] to text[] (checked on 12 and 18: rewritten).
            Kind element = classify(new SqlType(from.name(), from.modifiers(), 0), new SqlType(to.name(), to.modifiers(), 0));
            return element == Kind.IN_PLACE ? Kind.EXACT_REWRITE : element;
        }
        if (inPlace(from, to)) {
            return Kind.IN_PLACE;
        }
        return exact(from, to) ? Kind.EXACT_REWRITE : Kind.LOSSY;
    }

    private static boolean inPlace(SqlType from, SqlType to) {
        String f = from.name();
        String t = to.name();
        if (f.equals("character varying") && t.equals("character varying")) {
            return to.modifiers().isEmpty() || (!from.modifiers().isEmpty() && length(to) >= length(from));
        }
        if (f.equals("character varying") && t.equals("text")) {
            return true;
        }
        if (f.equals("text") && t.equals("character varying")) {
            return to.modifiers().isEmpty();
        }
        if (f.equals("numeric") && t.equals("numeric")) {
            return to.modifiers().isEmpty() || (from.modifiers().size() == 2 && to.modifiers().size() == 2
                    && to.modifiers().get(1).equals(from.modifiers().get(1)) && to.modifiers().get(0) >= from.modifiers().get(0));
        }
        if (f.equals("bit varying") && t.equals("bit varying")) {
            return to.modifiers().isEmpty() || (!from.modifiers().isEmpty() && length(to) >= length(from));
        }
        if (PRECISION_TYPES.contains(f) && f.equals(t)) {
            return to.modifiers().isEmpty() || (!from.modifiers().isEmpty() && length(to) >= length(from));
        }
        return f.equals("cidr") && t.equals("inet");
    }

    /** Every value of {@code from} becomes an equal value of {@code to}, and converts back unchanged. */
    private static boolean exact(SqlType from, SqlType to) {
        String f = from.name();
        String t = to.name();
        int fi = INTEGERS.indexOf(f);
        int ti = INTEGERS.indexOf(t);
        if (fi >= 0 && ti >= 0) {
            return ti >= fi;
        }
        if (fi >= 0 && t.equals("numeric")) {
            int digits = List.of(5, 10, 19).get(fi);
            return to.modifiers().isEmpty() || to.modifiers().get(0) - to.modifiers().get(1) >= digits;
        }
        if ((f.equals("smallint") || f.equals("integer")) && t.equals("double precision")) {
            return true;
        }
        if (f.equals("smallint") && t.equals("real") || f.equals("real") && t.equals("double precision")) {
            return true;
        }
        if (f.equals("numeric") && t.equals("numeric") && from.modifiers().size() == 2) {
            if (to.modifiers().isEmpty()) {
                return true;
            }
            int p = from.modifiers().get(0);
            int s = from.modifiers().get(1);
            int p2 = to.modifiers().get(0);
            int s2 = to.modifiers().get(1);
            return s2 >= s && p2 - s2 >= p - s;
        }
        if (f.equals("character") && (t.equals("text") || t.equals("character varying"))) {
            return to.modifiers().isEmpty() || length(to) >= length(from);
        }
        if (f.equals("character") && t.equals("character")) {
            return length(to) >= length(from);
        }
        if (PRECISION_TYPES.contains(f) && f.equals(t)) {
            return to.modifiers().isEmpty() || (!from.modifiers().isEmpty() && length(to) >= length(from));
        }
        return f.equals("date") && t.equals("timestamp without time zone") && to.modifiers().isEmpty();
    }

    private static int length(SqlType type) {
        return type.modifiers().get(0);
    }

    /**
     * What can go wrong converting {@code from} to {@code to}, for the problem message of a lossy
     * change without {@code using}: "values longer than 10 characters cannot be stored".
     */
    static String loss(SqlType from, SqlType to) {
        String f = from.name();
        String t = to.name();
        boolean fromNumber = INTEGERS.contains(f) || Set.of("numeric", "real", "double precision").contains(f);
        if ((TEXTUAL.contains(t) || t.equals("bit varying") || t.equals("character")) && !to.modifiers().isEmpty()
                && (TEXTUAL.contains(f) || f.equals("bit varying") || f.equals("character"))) {
            return "values longer than " + length(to) + (t.equals("bit varying") ? " bits" : " characters") + " cannot be stored "
                    + "(the plain conversion fails on them, an explicit cast would cut them)";
        }
        if (INTEGERS.contains(t) && fromNumber) {
            String range = t.equals("smallint") ? "-32768 to 32767" : t.equals("integer") ? "-2147483648 to 2147483647"
                    : "-9223372036854775808 to 9223372036854775807";
            return "values outside " + range + " cannot be stored" + (INTEGERS.contains(f) ? "" : ", and fractions are rounded away");
        }
        if (t.equals("numeric") && to.modifiers().size() == 2 && fromNumber) {
            int p = to.modifiers().get(0);
            int s = to.modifiers().get(1);
            return "values with more than " + s + " decimal place" + (s == 1 ? "" : "s") + " are rounded, and values of 1e" + (p - s)
                    + " or more in magnitude cannot be stored";
        }
        if (PRECISION_TYPES.contains(f) && f.equals(t)) {
            return "fractional seconds beyond " + length(to) + " digits are rounded";
        }
        if (f.startsWith("timestamp") && t.startsWith("timestamp")) {
            return "each value is read in the TimeZone setting of the session that runs the script, so the instants stored "
                    + "depend on who runs it";
        }
        if (f.equals("json") && t.equals("jsonb")) {
            return "jsonb drops duplicate keys, white space and key order";
        }
        return "not every " + from.sql() + " value converts to " + to.sql() + ": the conversion can fail on some rows or change "
                + "their values";
    }

    /**
     * A condition on {@code value}, of type {@code source}, that is true when it can be stored in
     * {@code target} exactly: the check that a narrowing down script loses nothing, and the count of
     * rows a lossy conversion would affect. Where no such rule is known, the value converted to
     * {@code target} and back must equal itself (an error in that conversion stops the query).
     */
    static String fits(SqlType source, SqlType target, String value) {
        String t = target.name();
        String f = source.name();
        boolean number = INTEGERS.contains(f) || Set.of("numeric", "real", "double precision").contains(f);
        boolean text = TEXTUAL.contains(f) || f.equals("character") || f.equals("bit varying");
        if (target.arrayDimensions() == 0 && source.arrayDimensions() == 0) {
            if ((TEXTUAL.contains(t) || t.equals("bit varying") || t.equals("character")) && !target.modifiers().isEmpty() && text) {
                return "length(" + value + ") <= " + length(target);
            }
            if (INTEGERS.contains(t) && number) {
                String range = t.equals("smallint") ? "-32768 AND 32767" : t.equals("integer") ? "-2147483648 AND 2147483647"
                        : "-9223372036854775808 AND 9223372036854775807";
                return "(" + value + " BETWEEN " + range + (INTEGERS.contains(f) ? "" : " AND " + value + " = trunc(" + value + ")") + ")";
            }
            if (t.equals("numeric") && target.modifiers().size() == 2 && number) {
                int p = target.modifiers().get(0);
                int s = target.modifiers().get(1);
                return "(" + value + "::numeric = round(" + value + "::numeric, " + s + ") AND abs(" + value + ") < 1e" + (p - s) + ")";
            }
        }
        return "CAST(CAST(" + value + " AS " + target.sql() + ") AS " + source.sql() + ") = " + value;
    }
}
