package io.zerodown.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column type: a name, its modifiers (length, precision, scale) and array dimensions.
 *
 * <p>Names are kept lower case. A dialect normalises aliases to its catalog's spelling
 * ({@code varchar} becomes {@code character varying} on PostgreSQL), so that a type parsed from
 * DDL equals the type read back from a live database.
 *
 * <p>Type names are rendered into SQL unquoted, so {@link #parse(String)} accepts only words,
 * digits, underscores, single spaces and a schema dot: anything else is rejected, never pasted.
 */
public record SqlType(String name, List<Integer> modifiers, int arrayDimensions) {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_$]*(?:\\.[a-z_][a-z0-9_$]*)?(?: [a-z_][a-z0-9_]*)*");
    private static final Pattern TYPE = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_$. ]*?)\\s*(?:\\(\\s*([0-9]+(?:\\s*,\\s*-?[0-9]+)?)\\s*\\))?\\s*((?:with|without)\\s+time\\s+zone)?\\s*((?:\\[\\s*\\])*)\\s*");

    public SqlType {
        Objects.requireNonNull(name, "type name");
        name = name.toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", " ");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a type name: '" + name + "'");
        }
        modifiers = List.copyOf(modifiers);
        if (arrayDimensions < 0) {
            throw new IllegalArgumentException("array dimensions must not be negative");
        }
    }

    public static SqlType of(String name, Integer... modifiers) {
        return new SqlType(name, List.of(modifiers), 0);
    }

    /**
     * Parses a type as written in DDL or in the DSL: {@code varchar(255)}, {@code numeric(10, 2)},
     * {@code timestamp(3) with time zone}, {@code text[]}.
     *
     * @throws IllegalArgumentException naming the text, when it is not a plain type
     */
    public static SqlType parse(String text) {
        Objects.requireNonNull(text, "type");
        Matcher m = TYPE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a type: '" + text + "' (expected e.g. varchar(255), numeric(10,2), text[])");
        }
        String name = m.group(1).trim();
        if (m.group(3) != null) {
            name = name + " " + m.group(3).trim().replaceAll("\\s+", " ");
        }
        List<Integer> mods = new ArrayList<>();
        if (m.group(2) != null) {
            for (String part : m.group(2).split(",")) {
                mods.add(Integer.parseInt(part.trim()));
            }
        }
        int dims = m.group(4) == null ? 0 : (int) m.group(4).chars().filter(c -> c == '[').count();
        try {
            return new SqlType(name, mods, dims);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a type: '" + text + "' (" + e.getMessage() + ")", e);
        }
    }

    public SqlType withName(String newName) {
        return new SqlType(newName, modifiers, arrayDimensions);
    }

    public SqlType withModifiers(List<Integer> newModifiers) {
        return new SqlType(name, newModifiers, arrayDimensions);
    }

    /** The type as SQL, e.g. {@code character varying(255)} or {@code timestamp(3) with time zone}. */
    public String sql() {
        StringBuilder sb = new StringBuilder();
        String base = name;
        String zone = "";
        for (String suffix : List.of(" with time zone", " without time zone")) {
            if (name.endsWith(suffix)) {
                base = name.substring(0, name.length() - suffix.length());
                zone = suffix;
            }
        }
        sb.append(base);
        if (!modifiers.isEmpty()) {
            sb.append('(');
            for (int i = 0; i < modifiers.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(modifiers.get(i));
            }
            sb.append(')');
        }
        sb.append(zone);
        sb.append("[]".repeat(arrayDimensions));
        return sb.toString();
    }

    @Override
    public String toString() {
        return sql();
    }
}
