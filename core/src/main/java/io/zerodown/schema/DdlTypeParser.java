package io.zerodown.schema;

import io.zerodown.model.SqlType;
import io.zerodown.schema.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a column type as written: one or several words ({@code double precision},
 * {@code timestamp with time zone}), modifiers and array dimensions, lower-cased but not yet
 * normalised (that is the {@link SchemaConventions}' job).
 */
final class DdlTypeParser {

    private DdlTypeParser() {
    }

    /** A column type: name, modifiers, time zone and array dimensions, as written (lower case). */
    static SqlType type(TokenCursor in) throws DdlSyntaxError {
        Token start = in.peek();
        if (start == null || !start.isIdentifier()) {
            throw in.expected("a column type");
        }
        if (start.is(Kind.QUOTED)) {
            throw new DdlSyntaxError("quoted type name " + TokenCursor.describe(start) + " is not supported: write the type unquoted");
        }
        String name;
        List<Integer> modifiers = new ArrayList<>();
        if (in.accept("DOUBLE")) {
            in.expectWord("PRECISION");
            name = "double precision";
        } else if (in.accept("CHARACTER") || in.accept("CHAR")) {
            name = in.accept("VARYING") ? "character varying" : TokenCursor.upper(start).equals("CHAR") ? "char" : "character";
        } else if (in.accept("NATIONAL")) {
            throw new DdlSyntaxError("NATIONAL CHARACTER is not supported: write character or character varying");
        } else if (in.accept("BIT")) {
            name = in.accept("VARYING") ? "bit varying" : "bit";
        } else if (in.accept("TIME") || in.accept("TIMESTAMP")) {
            name = TokenCursor.upper(start).toLowerCase(Locale.ROOT);
            modifiers = modifiers(in);
            if (in.accept("WITH")) {
                in.expectWord("TIME");
                in.expectWord("ZONE");
                name += " with time zone";
            } else if (in.accept("WITHOUT")) {
                in.expectWord("TIME");
                in.expectWord("ZONE");
                name += " without time zone";
            }
            return new SqlType(name, modifiers, arrayDimensions(in));
        } else if (in.accept("INTERVAL")) {
            name = "interval";
            if (in.peek() != null && Set.of("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND").contains(TokenCursor.upper(in.peek()))) {
                throw new DdlSyntaxError("interval fields (INTERVAL " + in.peekText().toUpperCase(Locale.ROOT)
                        + " …) are not supported: write interval or interval(p)");
            }
        } else if (in.accept("SETOF")) {
            throw new DdlSyntaxError("SETOF is not a column type");
        } else {
            in.advance(1);
            name = start.text();
            if (in.accept(Kind.DOT)) {
                Token second = in.peek();
                if (second == null || !second.is(Kind.WORD)) {
                    throw in.expected("a type name after '" + name + ".'");
                }
                in.advance(1);
                name = name + "." + second.text();
            }
            name = name.toLowerCase(Locale.ROOT);
        }
        modifiers = modifiers(in);
        try {
            return new SqlType(name, modifiers, arrayDimensions(in));
        } catch (IllegalArgumentException e) {
            throw new DdlSyntaxError("type " + name + " is not supported: " + e.getMessage());
        }
    }

    /** {@code (n)} or {@code (p, s)} after a type name, if present. */
    private static List<Integer> modifiers(TokenCursor in) throws DdlSyntaxError {
        List<Integer> modifiers = new ArrayList<>();
        if (in.accept(Kind.LEFT_PAREN)) {
            do {
                boolean negative = in.peek() != null && in.peek().is(Kind.OPERATOR) && in.peek().text().equals("-");
                if (negative) {
                    in.advance(1);
                }
                Token number = in.peek();
                if (number == null || !number.is(Kind.NUMBER) || !number.text().matches("[0-9]+")) {
                    throw in.expected("a whole number as a type modifier");
                }
                in.advance(1);
                try {
                    modifiers.add((negative ? -1 : 1) * Integer.parseInt(number.text()));
                } catch (NumberFormatException e) {
                    throw new DdlSyntaxError("type modifier " + number.text() + " is too large");
                }
            } while (in.accept(Kind.COMMA));
            in.expect(Kind.RIGHT_PAREN, "')' after the type's modifiers");
        }
        return modifiers;
    }

    /** {@code []}, {@code [3][]} or {@code ARRAY[3]}: the number of dimensions written. */
    private static int arrayDimensions(TokenCursor in) throws DdlSyntaxError {
        if (in.accept("ARRAY")) {
            if (in.accept(Kind.LEFT_BRACKET)) {
                arrayBound(in);
            }
            return 1;
        }
        int dimensions = 0;
        while (in.accept(Kind.LEFT_BRACKET)) {
            arrayBound(in);
            dimensions++;
        }
        return dimensions;
    }

    private static void arrayBound(TokenCursor in) throws DdlSyntaxError {
        if (in.peekIs(Kind.NUMBER)) {
            in.advance(1);
        }
        in.expect(Kind.RIGHT_BRACKET, "']'");
    }
}
