package io.zerodown.postgres.schema;

import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.IndexName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.SqlType;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Index;
import io.zerodown.schema.SchemaConventions;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL's conventions (12 to 18), so that DDL parsed with {@link io.zerodown.schema.DdlSchemaParser}
 * gives the schema {@link PostgresIntrospector} reads from a server that ran it:
 * <ul>
 *   <li>unquoted names fold to lower case; every name is cut to 63 bytes;</li>
 *   <li>types take {@code format_type}'s spelling (see {@link PgTypes});</li>
 *   <li>defaults take {@code pg_get_expr}'s spelling where that is predictable (see {@link PgDefaults});</li>
 *   <li>unnamed objects get PostgreSQL's names (see {@link PgObjectNames}): {@code users_pkey},
 *       {@code users_email_key}, {@code users_email_key1} on a collision, {@code t_a_check} for a check
 *       on one column and {@code t_check} otherwise, {@code orders_user_id_fkey},
 *       {@code t_lower_idx} for an index on {@code lower(email)}, {@code users_id_seq};</li>
 *   <li>a serial column's default is {@code nextval('users_id_seq'::regclass)};</li>
 *   <li>CREATE TABLE keeps one of several keys on the same columns (the primary key first).</li>
 * </ul>
 */
public final class PostgresConventions implements SchemaConventions {

    @Override
    public String identifier(String text, boolean quoted) {
        return PgIdentifiers.identifier(text, quoted);
    }

    @Override
    public ColumnType columnType(SqlType written) {
        return PgTypes.columnType(written);
    }

    @Override
    public Optional<SqlExpression> columnDefault(SqlExpression written, SqlType type) {
        return PgDefaults.columnDefault(written, type);
    }

    @Override
    public SqlExpression serialDefault(String sequence) {
        return SqlExpression.of("nextval('" + PgIdentifiers.quote(sequence).replace("'", "''") + "'::regclass)");
    }

    @Override
    public boolean primaryKeyImpliesNotNull() {
        return true;
    }

    @Override
    public boolean mergesDuplicateKeys() {
        return true;
    }

    @Override
    public ConstraintName primaryKeyName(TableName table, List<ColumnName> columns, TakenNames taken) {
        return ConstraintName.of(PgObjectNames.relationName(table.value(), null, "pkey", true, taken));
    }

    @Override
    public ConstraintName uniqueName(TableName table, List<ColumnName> columns, TakenNames taken) {
        String addition = PgObjectNames.addition(PgObjectNames.columnNames(columns));
        return ConstraintName.of(PgObjectNames.relationName(table.value(), addition, "key", true, taken));
    }

    @Override
    public ConstraintName checkName(TableName table, List<ColumnName> columns, TakenNames taken) {
        String column = PgObjectNames.single(columns).orElse(null);
        return ConstraintName.of(PgObjectNames.constraintName(table.value(), column, "check", taken));
    }

    @Override
    public ConstraintName foreignKeyName(TableName table, List<ColumnName> columns, TakenNames taken) {
        String addition = PgObjectNames.addition(PgObjectNames.columnNames(columns));
        return ConstraintName.of(PgObjectNames.constraintName(table.value(), addition, "fkey", taken));
    }

    @Override
    public IndexName indexName(TableName table, List<Index.Element> elements, TakenNames taken) {
        String addition = PgObjectNames.addition(PgObjectNames.indexColumnNames(elements));
        return IndexName.of(PgObjectNames.relationName(table.value(), addition, "idx", false, taken));
    }

    @Override
    public String sequenceName(TableName table, ColumnName column, TakenNames taken) {
        return PgObjectNames.relationName(table.value(), column.value(), "seq", false, taken);
    }
}
