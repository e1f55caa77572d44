package io.zerodown.schema;

import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.IndexName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.SqlType;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Index;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What differs between databases when {@link DdlSchemaParser} turns DDL into a schema: how names
 * are folded, how types and defaults are spelled in the catalog, and the names the database gives
 * to what the DDL left unnamed. A dialect implements it so that a schema parsed from DDL equals the
 * schema read back from a database that ran the same DDL.
 *
 * <p>Methods may throw {@link IllegalArgumentException} with a message for the DDL's author (a type
 * the database rejects, for instance); the parser reports it as a problem of the statement.
 */
public interface SchemaConventions {

    /**
     * The name the catalog stores for an identifier written in DDL.
     *
     * @param text   the identifier without its quotes (a doubled quote inside already undone)
     * @param quoted whether it was written in quotes, which usually keeps its case
     */
    String identifier(String text, boolean quoted);

    /** The catalog's spelling of a column type written in DDL, and whether it asks for a serial column. */
    ColumnType columnType(SqlType written);

    /**
     * The default of a column as the catalog prints it, as far as the dialect can tell without a
     * database; the written text otherwise. Empty when the default means no default ({@code NULL}).
     *
     * @param written the expression after {@code DEFAULT}
     * @param type    the column's type, as {@link #columnType} spelled it
     */
    Optional<SqlExpression> columnDefault(SqlExpression written, SqlType type);

    /** The default the database gives a serial column whose sequence is {@code sequence}. */
    SqlExpression serialDefault(String sequence);

    /**
     * Whether the columns of a primary key become NOT NULL. True in the SQL standard and in
     * PostgreSQL and MySQL; SQLite keeps them nullable.
     */
    boolean primaryKeyImpliesNotNull();

    /**
     * Whether CREATE TABLE keeps only one of several PRIMARY KEY / UNIQUE constraints on the same
     * columns (PostgreSQL does: {@code id int PRIMARY KEY UNIQUE} makes one constraint).
     */
    boolean mergesDuplicateKeys();

    /** The name of an unnamed PRIMARY KEY of {@code table}. */
    ConstraintName primaryKeyName(TableName table, List<ColumnName> columns, TakenNames taken);

    /** The name of an unnamed UNIQUE constraint. */
    ConstraintName uniqueName(TableName table, List<ColumnName> columns, TakenNames taken);

    /**
     * The name of an unnamed CHECK constraint.
     *
     * @param columns the distinct columns of the table its expression reads, in order of appearance
     */
    ConstraintName checkName(TableName table, List<ColumnName> columns, TakenNames taken);

    /** The name of an unnamed FOREIGN KEY on {@code columns} of {@code table}. */
    ConstraintName foreignKeyName(TableName table, List<ColumnName> columns, TakenNames taken);

    /** The name of an unnamed index (CREATE INDEX without a name). */
    IndexName indexName(TableName table, List<Index.Element> elements, TakenNames taken);

    /** The name of the sequence behind a serial or identity column. */
    String sequenceName(TableName table, ColumnName column, TakenNames taken);

    /**
     * A written type in the catalog's spelling.
     *
     * @param type   the type as the catalog spells it (e.g. {@code bigint} for {@code bigserial})
     * @param serial whether the written type asks for a serial column (a sequence and its default)
     */
    record ColumnType(SqlType type, boolean serial) {
        public ColumnType {
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * The names already in use where a new name must not collide: the parser's view of the schema
     * so far, including the objects of the statement being parsed.
     */
    interface TakenNames {

        /** Whether a table, index or sequence already has this name. */
        boolean isRelation(String name);

        /** Whether a constraint of any table already has this name. */
        boolean isConstraint(String name);
    }
}
