package io.zerodown.model.schema;

import io.zerodown.model.ColumnName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.SqlType;
import java.util.Objects;
import java.util.Optional;

/**
 * A column of a table.
 *
 * @param name         the column's name
 * @param type         its type, normalised by the dialect
 * @param nullable     whether NULL is allowed
 * @param defaultValue its default expression, if any (for a serial column, the {@code nextval} call)
 * @param generation   how the database fills it on its own (serial, identity, stored expression), if at all
 */
public record Column(ColumnName name, SqlType type, boolean nullable, Optional<SqlExpression> defaultValue,
                     Optional<Generation> generation) {

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(generation, "generation");
    }

    /** A nullable column without default. */
    public static Column of(String name, SqlType type) {
        return new Column(ColumnName.of(name), type, true, Optional.empty(), Optional.empty());
    }

    public Column withName(ColumnName newName) {
        return new Column(newName, type, nullable, defaultValue, generation);
    }

    public Column withType(SqlType newType) {
        return new Column(name, newType, nullable, defaultValue, generation);
    }

    public Column withNullable(boolean newNullable) {
        return new Column(name, type, newNullable, defaultValue, generation);
    }

    public Column withDefault(Optional<SqlExpression> newDefault) {
        return new Column(name, type, nullable, newDefault, generation);
    }

    public Column withGeneration(Optional<Generation> newGeneration) {
        return new Column(name, type, nullable, defaultValue, newGeneration);
    }
}
