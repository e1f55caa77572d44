package io.zerodown.postgres.schema;

import io.zerodown.model.SqlType;
import io.zerodown.schema.SchemaConventions.ColumnType;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Column types as PostgreSQL's {@code format_type} prints them, from any spelling DDL may use:
 * {@code int4} and {@code int} are {@code integer}, {@code varchar(255)} is
 * {@code character varying(255)}, {@code timestamptz} is {@code timestamp with time zone},
 * {@code numeric(5)} is {@code numeric(5,0)}, {@code char} is {@code character(1)}, and an array
 * type has one pair of brackets however many dimensions were written. The serial types are their
 * integer type plus a serial flag. Checked against PostgreSQL 12 and 18.
 */
final class PgTypes {

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("int", "integer"), Map.entry("int4", "integer"), Map.entry("integer", "integer"),
            Map.entry("int8", "bigint"), Map.entry("bigint", "bigint"),
            Map.entry("int2", "smallint"), Map.entry("smallint", "smallint"),
            Map.entry("varchar", "character varying"), Map.entry("character varying", "character varying"),
            Map.entry("char varying", "character varying"),
            Map.entry("bool", "boolean"), Map.entry("boolean", "boolean"),
            Map.entry("float8", "double precision"), Map.entry("double precision", "double precision"),
            Map.entry("float4", "real"), Map.entry("real", "real"),
            Map.entry("decimal", "numeric"), Map.entry("numeric", "numeric"),
            Map.entry("timestamptz", "timestamp with time zone"),
            Map.entry("timestamp with time zone", "timestamp with time zone"),
            Map.entry("timestamp", "timestamp without time zone"),
            Map.entry("timestamp without time zone", "timestamp without time zone"),
            Map.entry("timetz", "time with time zone"), Map.entry("time with time zone", "time with time zone"),
            Map.entry("time", "time without time zone"), Map.entry("time without time zone", "time without time zone"),
            Map.entry("varbit", "bit varying"), Map.entry("bit varying", "bit varying"));

    private static final Map<String, String> SERIALS = Map.of(
            "serial", "integer", "serial4", "integer",
            "bigserial", "bigint", "serial8", "bigint",
            "smallserial", "smallint", "serial2", "smallint");

    /** Types that take no modifier: PostgreSQL rejects {@code integer(5)} or {@code text(10)}. */
    private static final Set<String> WITHOUT_MODIFIERS = Set.of("integer", "bigint", "smallint", "boolean", "text",
            "double precision", "real", "date", "uuid", "json", "jsonb", "bytea");

    private PgTypes() {
    }

    static ColumnType columnType(SqlType written) {
        String name = written.name().startsWith("pg_catalog.") ? written.name().substring("pg_catalog.".length()) : written.name();
        List<Integer> modifiers = written.modifiers();
        int dimensions = written.arrayDimensions() > 0 ? 1 : 0;
        String serial = SERIALS.get(name);
        if (serial != null) {
            if (!modifiers.isEmpty() || dimensions > 0) {
                throw new IllegalArgumentException("type " + written.sql() + " is not possible: a serial type takes no modifier"
                        + " and cannot be an array; write " + name);
            }
            return new ColumnType(SqlType.of(serial), true);
        }
        String type;
        if (name.equals("float")) {
            type = floatType(modifiers);
            modifiers = List.of();
        } else if (name.equals("char") || name.equals("character")) {
            type = "character";
            modifiers = modifiers.isEmpty() ? List.of(1) : modifiers;
        } else if (name.equals("bpchar")) {
            type = modifiers.isEmpty() ? "bpchar" : "character";
        } else if (name.equals("bit")) {
            type = "bit";
            modifiers = modifiers.isEmpty() ? List.of(1) : modifiers;
        } else {
            type = ALIASES.getOrDefault(name, name);
            if (type.equals("numeric") && modifiers.size() == 1) {
                modifiers = List.of(modifiers.get(0), 0);
            }
        }
        if (WITHOUT_MODIFIERS.contains(type) && !modifiers.isEmpty()) {
            throw new IllegalArgumentException("type " + written.sql() + " is not possible: " + type
                    + " takes no length or precision; write " + type);
        }
        return new ColumnType(new SqlType(type, modifiers, dimensions), false);
    }

    /** {@code float} is double precision; {@code float(p)} is real up to 24 binary digits, double precision up to 53. */
    private static String floatType(List<Integer> modifiers) {
        if (modifiers.isEmpty()) {
            return "double precision";
        }
        int precision = modifiers.get(0);
        if (modifiers.size() > 1 || precision < 1 || precision > 53) {
            throw new IllegalArgumentException("type float(" + modifiers + ") is not possible: the precision of float must be"
                    + " between 1 and 53");
        }
        return precision <= 24 ? "real" : "double precision";
    }
}
