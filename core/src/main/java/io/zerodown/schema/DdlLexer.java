package io.zerodown.schema;

import io.zerodown.schema.Token.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Splits a DDL script into statements of tokens, following PostgreSQL's lexical rules: {@code --}
 * and nested {@code /* *}{@code /} comments, {@code '…'} strings with doubled quotes (and
 * backslash escapes after {@code E}), {@code "…"} identifiers and {@code $tag$…$tag$} strings.
 * A semicolon outside all of those ends a statement; empty statements are dropped.
 */
final class DdlLexer {

    private static final String OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?:";

    private final String script;
    private final int[] lineStarts;
    private int pos;

    private DdlLexer(String script) {
        this.script = script;
        this.lineStarts = lineStarts(script);
    }

    /** The script's statements, in order. */
    static List<SourceStatement> split(String script) {
        return new DdlLexer(script).statements();
    }

    private List<SourceStatement> statements() {
        List<SourceStatement> statements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        while (true) {
            Token token;
            try {
                token = next();
            } catch (LexicalError e) {
                int start = current.isEmpty() ? e.offset : current.get(0).start();
                statements.add(new SourceStatement(statements.size() + 1, line(start),
                        script.substring(start).strip(), current, Optional.of(e.getMessage())));
                return statements;
            }
            if (token == null || token.is(Kind.SEMICOLON)) {
                if (!current.isEmpty()) {
                    Token first = current.get(0);
                    Token last = current.get(current.size() - 1);
                    statements.add(new SourceStatement(statements.size() + 1, first.line(),
                            script.substring(first.start(), last.end()), current, Optional.empty()));
                    current = new ArrayList<>();
                }
                if (token == null) {
                    return statements;
                }
            } else {
                current.add(token);
            }
        }
    }

    /** The next token, or null at the end of the script. */
    private Token next() {
        skipBlanksAndComments();
        if (pos >= script.length()) {
            return null;
        }
        int start = pos;
        char c = script.charAt(pos);
        if (c == '\'') {
            return string(start, false);
        }
        if ((c == 'E' || c == 'e') && peek(1) == '\'') {
            pos++;
            return string(start, true);
        }
        if ((c == 'B' || c == 'b' || c == 'X' || c == 'x' || c == 'N' || c == 'n') && peek(1) == '\'') {
            pos++;
            return string(start, false);
        }
        if ((c == 'U' || c == 'u') && peek(1) == '&' && peek(2) == '\'') {
            pos += 2;
            return string(start, false);
        }
        if (c == '"') {
            return quotedIdentifier(start);
        }
        if (c == '$') {
            return dollar(start);
        }
        if (isIdentifierStart(c)) {
            pos++;
            while (pos < script.length() && isIdentifierPart(script.charAt(pos))) {
                pos++;
            }
            return token(Kind.WORD, script.substring(start, pos), start);
        }
        if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)))) {
            return number(start);
        }
        pos++;
        switch (c) {
            case '(': return token(Kind.LEFT_PAREN, "(", start);
            case ')': return token(Kind.RIGHT_PAREN, ")", start);
            case '[': return token(Kind.LEFT_BRACKET, "[", start);
            case ']': return token(Kind.RIGHT_BRACKET, "]", start);
            case ',': return token(Kind.COMMA, ",", start);
            case '.': return token(Kind.DOT, ".", start);
            case ';': return token(Kind.SEMICOLON, ";", start);
            default: break;
        }
        if (c == ':' && peek(0) == ':') {
            pos++;
            return token(Kind.DOUBLE_COLON, "::", start);
        }
        if (OPERATOR_CHARS.indexOf(c) >= 0) {
            while (pos < script.length() && OPERATOR_CHARS.indexOf(script.charAt(pos)) >= 0
                    && !script.startsWith("--", pos) && !script.startsWith("/*", pos) && !script.startsWith("::", pos)) {
                pos++;
            }
            return token(Kind.OPERATOR, script.substring(start, pos), start);
        }
        // Not SQL (a psql meta-command's backslash, say): a token of its own, which no statement accepts.
        return token(Kind.OPERATOR, String.valueOf(c), start);
    }

    private void skipBlanksAndComments() {
        while (pos < script.length()) {
            char c = script.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (script.startsWith("--", pos)) {
                int eol = script.indexOf('\n', pos);
                pos = eol < 0 ? script.length() : eol + 1;
            } else if (script.startsWith("/*", pos)) {
                blockComment();
            } else {
                return;
            }
        }
    }

    private void blockComment() {
        int start = pos;
        int depth = 0;
        while (pos < script.length()) {
            if (script.startsWith("/*", pos)) {
                depth++;
                pos += 2;
            } else if (script.startsWith("*/", pos)) {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                pos++;
            }
        }
        throw new LexicalError("the comment starting at line " + line(start) + " is never closed with */", start);
    }

    private Token string(int start, boolean backslashEscapes) {
        pos++; // opening quote
        while (pos < script.length()) {
            char c = script.charAt(pos);
            if (backslashEscapes && c == '\\') {
                pos += 2;
            } else if (c == '\'') {
                if (peek(1) == '\'') {
                    pos += 2;
                } else {
                    pos++;
                    return token(Kind.STRING, script.substring(start, pos), start);
                }
            } else {
                pos++;
            }
        }
        throw new LexicalError("the string starting at line " + line(start) + " is never closed with '", start);
    }

    private Token quotedIdentifier(int start) {
        StringBuilder name = new StringBuilder();
        pos++;
        while (pos < script.length()) {
            char c = script.charAt(pos);
            if (c == '"') {
                if (peek(1) == '"') {
                    name.append('"');
                    pos += 2;
                } else {
                    pos++;
                    if (name.length() == 0) {
                        throw new LexicalError("empty quoted identifier \"\" at line " + line(start), start);
                    }
                    return new Token(Kind.QUOTED, name.toString(), start, pos, line(start));
                }
            } else {
                name.append(c);
                pos++;
            }
        }
        throw new LexicalError("the quoted identifier starting at line " + line(start) + " is never closed with \"", start);
    }

    /** {@code $1} or a dollar-quoted string {@code $tag$…$tag$}. */
    private Token dollar(int start) {
        int p = pos + 1;
        if (p < script.length() && Character.isDigit(script.charAt(p))) {
            while (p < script.length() && Character.isDigit(script.charAt(p))) {
                p++;
            }
            pos = p;
            return token(Kind.PARAMETER, script.substring(start, pos), start);
        }
        while (p < script.length() && script.charAt(p) != '$' && isIdentifierPart(script.charAt(p))
                && (p > pos + 1 || isIdentifierStart(script.charAt(p)))) {
            p++;
        }
        if (p >= script.length() || script.charAt(p) != '$') {
            pos++;
            return token(Kind.OPERATOR, "$", start);
        }
        String delimiter = script.substring(pos, p + 1);
        int close = script.indexOf(delimiter, p + 1);
        if (close < 0) {
            throw new LexicalError("the string starting with " + delimiter + " at line " + line(start)
                    + " is never closed with " + delimiter, start);
        }
        pos = close + delimiter.length();
        return token(Kind.STRING, script.substring(start, pos), start);
    }

    private Token number(int start) {
        while (pos < script.length() && Character.isDigit(script.charAt(pos))) {
            pos++;
        }
        if (peek(0) == '.' && peek(1) != '.') {
            pos++;
            while (pos < script.length() && Character.isDigit(script.charAt(pos))) {
                pos++;
            }
        }
        if ((peek(0) == 'e' || peek(0) == 'E')
                && (Character.isDigit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && Character.isDigit(peek(2))))) {
            pos += 2;
            while (pos < script.length() && Character.isDigit(script.charAt(pos))) {
                pos++;
            }
        }
        return token(Kind.NUMBER, script.substring(start, pos), start);
    }

    private Token token(Kind kind, String text, int start) {
        return new Token(kind, text, start, pos, line(start));
    }

    private char peek(int ahead) {
        int p = pos + ahead;
        return p < script.length() ? script.charAt(p) : '\0';
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c >= 0x80;
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || Character.isDigit(c) || c == '$';
    }

    private int line(int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A construct that runs to the end of the script: nothing after it can be read. */
    private static final class LexicalError extends RuntimeException {
        private final int offset;

        LexicalError(String message, int offset) {
            super(message, null, false, false);
            this.offset = offset;
        }
    }
}
