package io.zerodown.postgres.schema;

import java.nio.charset.StandardCharsets;

/**
 * PostgreSQL's rules for identifiers: unquoted ones fold to lower case (ASCII letters only, as
 * {@code downcase_identifier} does in a UTF-8 database), and every identifier is cut to 63 bytes
 * ({@code NAMEDATALEN - 1}) without splitting a character.
 */
final class PgIdentifiers {

    /** The longest identifier PostgreSQL keeps, in bytes. */
    static final int MAX_BYTES = 63;

    private PgIdentifiers() {
    }

    /** The name the catalog stores for an identifier written with or without quotes. */
    static String identifier(String text, boolean quoted) {
        return truncate(quoted ? text : fold(text), MAX_BYTES);
    }

    /** Lower-cases ASCII letters only. */
    static String fold(String text) {
        StringBuilder folded = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            folded.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return folded.toString();
    }

    /** The longest prefix of {@code text} of at most {@code maxBytes} UTF-8 bytes that ends on a whole character. */
    static String truncate(String text, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * The identifier as PostgreSQL's {@code quote_identifier} prints it: bare when it is lower-case
     * letters, digits and underscores not starting with a digit, quoted otherwise. (Keywords would be
     * quoted too; the names this is used for, sequence names ending in {@code _seq}, never are.)
     */
    static String quote(String name) {
        if (name.matches("[a-z_][a-z0-9_]*")) {
            return name;
        }
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
