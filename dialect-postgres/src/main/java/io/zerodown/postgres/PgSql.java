package io.zerodown.postgres;

import io.zerodown.model.SqlName;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders names and values into PostgreSQL SQL. Every identifier goes through {@link #quote},
 * every text value through {@link #literal}: no user text reaches a script unquoted.
 */
public final class PgSql {

    private PgSql() {
    }

    /** {@code "name"}, with embedded double quotes doubled. */
    public static String quote(SqlName name) {
        return quote(name.value());
    }

    public static String quote(String identifier) {
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an identifier cannot contain a NUL character");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Quoted names joined with ", ". */
    public static String quoteAll(List<? extends SqlName> names) {
        return names.stream().map(PgSql::quote).collect(Collectors.joining(", "));
    }

    /**
     * A standard string literal, {@code 'it''s'}. Backslashes are literal characters, which holds
     * while {@code standard_conforming_strings} is on (the default since 9.1; a pre-check verifies it).
     */
    public static String literal(String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a text value cannot contain a NUL character");
        }
        return '\'' + text.replace("'", "''") + '\'';
    }

    /** {@code '"users"'::regclass}: the relation, resolved through the search path. */
    public static String regclass(SqlName relation) {
        return literal(quote(relation)) + "::regclass";
    }

    /** {@code to_regclass('"users"')}: the relation, or NULL when it does not exist. */
    public static String toRegclass(SqlName relation) {
        return "to_regclass(" + literal(quote(relation)) + ")";
    }

    /** A duration as a setting value: {@code '1500ms'}. */
    public static String setting(Duration duration) {
        return literal(duration.toMillis() + "ms");
    }

    /** Seconds with millisecond precision, for {@code pg_sleep}: {@code 0.200}. */
    public static String seconds(Duration duration) {
        long ms = duration.toMillis();
        return ms / 1000 + "." + String.format("%03d", ms % 1000);
    }

    /**
     * {@code $tag$body$tag$} with a tag that does not occur in the body, so that no name or value
     * inside (a column called {@code x$zd$y}, say) can end the quoted text early.
     */
    public static String dollarQuote(String body, String preferredTag) {
        String tag = "$" + preferredTag + "$";
        for (int n = 1; body.contains(tag); n++) {
            tag = "$" + preferredTag + n + "$";
        }
        return tag + body + tag;
    }
}
