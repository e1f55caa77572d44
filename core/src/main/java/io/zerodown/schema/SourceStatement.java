package io.zerodown.schema;

import java.util.List;
import java.util.Optional;

/**
 * One statement of a DDL script: its tokens and where it is.
 *
 * @param number       1-based position among the script's non-empty statements
 * @param line         1-based line of its first token
 * @param text         the statement as written, from its first token to its last
 * @param tokens       its tokens, without the closing semicolon
 * @param lexicalError why the script could not be split after this statement's start, if so
 */
record SourceStatement(int number, int line, String text, List<Token> tokens, Optional<String> lexicalError) {

    private static final int PREVIEW_LENGTH = 60;

    SourceStatement {
        tokens = List.copyOf(tokens);
    }

    /** Where the statement is, for a problem's location: {@code DDL statement 3 (line 7)}. */
    String location() {
        return "DDL statement " + number + " (line " + line + ")";
    }

    /** The start of the statement in quotes, whitespace collapsed, cut with an ellipsis when long. */
    String preview() {
        String flat = text.strip().replaceAll("\\s+", " ");
        if (flat.length() > PREVIEW_LENGTH) {
            flat = flat.substring(0, PREVIEW_LENGTH).stripTrailing() + " …";
        }
        return "\"" + flat + "\"";
    }
}
