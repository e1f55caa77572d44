package io.zerodown.schema;

import io.zerodown.schema.Ddl.Expr;
import io.zerodown.schema.Ddl.Name;
import io.zerodown.schema.Ddl.QualifiedName;
import io.zerodown.schema.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reading position in one statement's tokens, with what every statement needs: keywords, names,
 * and expressions taken as written (their extent found by bracket matching).
 */
final class TokenCursor {

    private final SourceStatement statement;
    private final List<Token> tokens;
    private int next;

    TokenCursor(SourceStatement statement) {
        this.statement = statement;
        this.tokens = statement.tokens();
    }

    /** Moves past {@code count} tokens. */
    void advance(int count) {
        next += count;
    }

    /** {@code f(…)} or {@code s.f(…)} at the current position. */
    boolean isFunctionCall() {
        if (peek() == null || !peek().isIdentifier()) {
            return false;
        }
        if (peekIs(1, Kind.LEFT_PAREN)) {
            return true;
        }
        return peekIs(1, Kind.DOT) && peekIs(2, Kind.WORD) && peekIs(3, Kind.LEFT_PAREN);
    }

    Expr functionCall() throws DdlSyntaxError {
        Token first = tokens.get(next);
        while (!peekIs(Kind.LEFT_PAREN)) {
            next++;
        }
        int close = matching(next);
        next = close + 1;
        return expression(first, tokens.get(close));
    }

    // ---- expressions ----

    /** {@code ( … )}: the text inside the parentheses. */
    Expr parenthesized(String what) throws DdlSyntaxError {
        if (!peekIs(Kind.LEFT_PAREN)) {
            throw expected("'(' and " + what);
        }
        int open = next;
        int close = matching(open);
        next = close + 1;
        if (close == open + 1) {
            throw new DdlSyntaxError(what + " is empty (line " + tokens.get(open).line() + ")");
        }
        return expression(tokens.get(open + 1), tokens.get(close - 1));
    }

    /** The expression after DEFAULT: up to a word of {@code stops} (the column's next clause), ',' or ')'. */
    Expr defaultExpression(Set<String> stops) throws DdlSyntaxError {
        int first = next;
        int depth = 0;
        while (next < tokens.size()) {
            Token t = tokens.get(next);
            if (depth == 0 && next > first
                    && (t.is(Kind.COMMA) || (t.is(Kind.WORD) && stops.contains(upper(t))))) {
                break;
            }
            if (t.is(Kind.LEFT_PAREN) || t.is(Kind.LEFT_BRACKET) || t.is("CASE")) {
                depth++;
            } else if (t.is(Kind.RIGHT_PAREN) || t.is(Kind.RIGHT_BRACKET) || t.is("END")) {
                if (depth == 0) {
                    break;
                }
                depth--;
            }
            next++;
        }
        if (next == first || tokens.get(first).is(Kind.COMMA)) {
            throw expected("an expression after DEFAULT");
        }
        return expression(tokens.get(first), tokens.get(next - 1));
    }

    /** All the statement's remaining tokens as one expression. */
    Expr rest(String what) throws DdlSyntaxError {
        if (atEnd()) {
            throw expected(what);
        }
        Token first = tokens.get(next);
        next = tokens.size();
        return expression(first, tokens.get(tokens.size() - 1));
    }

    /**
     * The text from {@code first} to {@code last} as written, except that string literals are
     * respelled in standard form (see {@link StringLiterals}).
     */
    private Expr expression(Token first, Token last) {
        int base = tokens.get(0).start();
        StringBuilder text = new StringBuilder();
        int copied = first.start();
        for (int i = tokens.indexOf(first); i <= tokens.indexOf(last); i++) {
            Token t = tokens.get(i);
            if (t.is(Kind.STRING)) {
                text.append(statement.text(), copied - base, t.start() - base).append(StringLiterals.standard(t.text()));
                copied = t.end();
            }
        }
        text.append(statement.text(), copied - base, last.end() - base);
        return new Expr(text.toString().strip(), first.line());
    }

    /** The index of the bracket closing the one at {@code open}. */
    private int matching(int open) throws DdlSyntaxError {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is(Kind.LEFT_PAREN) || t.is(Kind.LEFT_BRACKET)) {
                depth++;
            } else if (t.is(Kind.RIGHT_PAREN) || t.is(Kind.RIGHT_BRACKET)) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        throw new DdlSyntaxError("the '(' at line " + tokens.get(open).line() + " is never closed");
    }

    // ---- names ----

    boolean ifNotExists() throws DdlSyntaxError {
        if (peekIs("IF")) {
            next++;
            expectWord("NOT");
            expectWord("EXISTS");
            return true;
        }
        return false;
    }

    QualifiedName qualifiedName(String what) throws DdlSyntaxError {
        Name first = name(what);
        if (accept(Kind.DOT)) {
            Name second = name("a name after '" + first.written() + ".'");
            if (peekIs(Kind.DOT)) {
                throw new DdlSyntaxError("names with a database (" + first.written() + "." + second.written()
                        + ".…) are not supported: write schema.table or table");
            }
            return new QualifiedName(Optional.of(first), second);
        }
        return new QualifiedName(Optional.empty(), first);
    }

    Name name(String what) throws DdlSyntaxError {
        Token t = peek();
        if (t == null || !t.isIdentifier()) {
            throw expected(what);
        }
        next++;
        return new Name(t.text(), t.is(Kind.QUOTED));
    }

    /** {@code (a, b, …)}. */
    List<Name> nameList(String what) throws DdlSyntaxError {
        expect(Kind.LEFT_PAREN, "'(' and " + what);
        List<Name> names = new ArrayList<>();
        do {
            names.add(name(what));
        } while (accept(Kind.COMMA));
        expect(Kind.RIGHT_PAREN, "',' or ')' after " + what);
        return names;
    }

    // ---- token helpers ----

    Token peek() {
        return next < tokens.size() ? tokens.get(next) : null;
    }

    boolean peekIs(String keyword) {
        return peekIs(0, keyword);
    }

    boolean peekIs(int ahead, String keyword) {
        int i = next + ahead;
        return i < tokens.size() && tokens.get(i).is(keyword);
    }

    boolean peekIs(Kind kind) {
        return peekIs(0, kind);
    }

    boolean peekIs(int ahead, Kind kind) {
        int i = next + ahead;
        return i < tokens.size() && tokens.get(i).is(kind);
    }

    String peekText() {
        return peek() == null ? "" : peek().text();
    }

    boolean accept(String keyword) {
        if (peekIs(keyword)) {
            next++;
            return true;
        }
        return false;
    }

    boolean accept(Kind kind) {
        if (peekIs(kind)) {
            next++;
            return true;
        }
        return false;
    }

    void expectWord(String keyword) throws DdlSyntaxError {
        if (!accept(keyword)) {
            throw expected(keyword);
        }
    }

    void expect(Kind kind, String what) throws DdlSyntaxError {
        if (!accept(kind)) {
            throw expected(what);
        }
    }

    boolean atEnd() {
        return next >= tokens.size();
    }

    DdlSyntaxError expected(String what) {
        Token t = peek();
        return new DdlSyntaxError("expected " + what + " but found " + describe(t));
    }



    static String upper(Token t) {
        return t.text().toUpperCase(Locale.ROOT);
    }

    static String describe(Token t) {
        return t == null ? "the end of the statement" : t.describe() + " (line " + t.line() + ")";
    }
}
