package io.zerodown.schema;

/**
 * Respells PostgreSQL's string literals as standard {@code '…'} literals, the form the database
 * prints and the only one every SQL reader accepts: {@code $tag$it's$tag$} and {@code E'it\'s'}
 * both become {@code 'it''s'}. Other literals ({@code B'…'}, {@code X'…'}, {@code U&'…'}) are kept.
 */
final class StringLiterals {

    private StringLiterals() {
    }

    /** The literal in standard form; {@code literal} is a whole string token as written. */
    static String standard(String literal) {
        if (literal.startsWith("$")) {
            int tagEnd = literal.indexOf('$', 1) + 1;
            return quote(literal.substring(tagEnd, literal.length() - tagEnd));
        }
        if (literal.startsWith("E'") || literal.startsWith("e'")) {
            return quote(unescape(literal.substring(2, literal.length() - 1)));
        }
        return literal;
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** The value of an escape string's body (between its quotes). */
    private static String unescape(String body) {
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\'' && i + 1 < body.length() && body.charAt(i + 1) == '\'') {
                value.append('\'');
                i++;
            } else if (c == '\\' && i + 1 < body.length()) {
                i = escape(body, i + 1, value);
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }

    /** Appends the escape starting at {@code i} (after the backslash); returns the index of its last character. */
    private static int escape(String body, int i, StringBuilder value) {
        char c = body.charAt(i);
        switch (c) {
            case 'b': value.append('\b'); return i;
            case 'f': value.append('\f'); return i;
            case 'n': value.append('\n'); return i;
            case 'r': value.append('\r'); return i;
            case 't': value.append('\t'); return i;
            case 'x': return number(body, i + 1, 2, 16, value, i);
            case 'u': return number(body, i + 1, 4, 16, value, i);
            case 'U': return number(body, i + 1, 8, 16, value, i);
            default:
                if (c >= '0' && c <= '7') {
                    return number(body, i, 3, 8, value, i - 1);
                }
                value.append(c);
                return i;
        }
    }

    private static int number(String body, int from, int maxDigits, int radix, StringBuilder value, int fallback) {
        int end = from;
        while (end < body.length() && end - from < maxDigits && Character.digit(body.charAt(end), radix) >= 0) {
            end++;
        }
        if (end == from) {
            value.append(body.charAt(fallback));
            return fallback;
        }
        value.appendCodePoint(Integer.parseInt(body.substring(from, end), radix));
        return end - 1;
    }
}
