package io.zerodown.schema;

/**
 * One lexical token of DDL, with where it is in the script.
 *
 * @param kind   what it is
 * @param text   for a quoted identifier the name without quotes; otherwise the text as written
 * @param start  offset of its first character in the script
 * @param end    offset just after its last character
 * @param line   1-based line of its first character
 */
record Token(Kind kind, String text, int start, int end, int line) {

    enum Kind {
        /** A keyword or unquoted identifier. */
        WORD,
        /** A double-quoted identifier. */
        QUOTED,
        /** A string literal in any form: {@code 'a'}, {@code E'a'}, {@code $$a$$}. */
        STRING,
        NUMBER,
        /** {@code $1}. */
        PARAMETER,
        LEFT_PAREN,
        RIGHT_PAREN,
        LEFT_BRACKET,
        RIGHT_BRACKET,
        COMMA,
        DOT,
        SEMICOLON,
        DOUBLE_COLON,
        /** Any other operator: {@code =}, {@code <>}, {@code ||}, {@code ::} excepted. */
        OPERATOR
    }

    /** Whether this is the unquoted word {@code keyword}, in any case. */
    boolean is(String keyword) {
        return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    boolean is(Kind other) {
        return kind == other;
    }

    /** Whether this can name something: an unquoted word or a quoted identifier. */
    boolean isIdentifier() {
        return kind == Kind.WORD || kind == Kind.QUOTED;
    }

    /** The token as it would be quoted in a message. */
    String describe() {
        return kind == Kind.QUOTED ? "\"" + text.replace("\"", "\"\"") + "\"" : "'" + text + "'";
    }
}
