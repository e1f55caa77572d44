package io.zerodown.schema;

import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.IndexName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.SqlType;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Index;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Conventions for the parser's tests, deliberately unlike any database's so that the tests show
 * what comes from the conventions: names {@code <table>_<columns>_pk|uq|ck|fk|ix}, numbered from 2 on
 * a collision; {@code serial} and {@code bigserial} only; defaults kept as written except NULL.
 */
record TestConventions(boolean mergesDuplicateKeys) implements SchemaConventions {

    TestConventions() {
        this(true);
    }

    @Override
    public String identifier(String text, boolean quoted) {
        return quoted ? text : text.toLowerCase(Locale.ROOT);
    }

    @Override
    public ColumnType columnType(SqlType written) {
        return switch (written.name()) {
            case "serial" -> new ColumnType(written.withName("integer"), true);
            case "bigserial" -> new ColumnType(written.withName("bigint"), true);
            case "money" -> throw new IllegalArgumentException("type money is not allowed here: use numeric");
            default -> new ColumnType(written, false);
        };
    }

    @Override
    public Optional<SqlExpression> columnDefault(SqlExpression written, SqlType type) {
        return written.source().equalsIgnoreCase("null") ? Optional.empty() : Optional.of(written);
    }

    @Override
    public SqlExpression serialDefault(String sequence) {
        return SqlExpression.of("nextval('" + sequence + "')");
    }

    @Override
    public boolean primaryKeyImpliesNotNull() {
        return true;
    }

    @Override
    public ConstraintName primaryKeyName(TableName table, List<ColumnName> columns, TakenNames taken) {
        return ConstraintName.of(free(table + "_pk", n -> taken.isRelation(n) || taken.isConstraint(n)));
    }

    @Override
    public ConstraintName uniqueName(TableName table, List<ColumnName> columns, TakenNames taken) {
        return ConstraintName.of(free(table + "_" + join(columns) + "_uq", n -> taken.isRelation(n) || taken.isConstraint(n)));
    }

    @Override
    public ConstraintName checkName(TableName table, List<ColumnName> columns, TakenNames taken) {
        String middle = columns.isEmpty() ? "" : "_" + join(columns);
        return ConstraintName.of(free(table + middle + "_ck", taken::isConstraint));
    }

    @Override
    public ConstraintName foreignKeyName(TableName table, List<ColumnName> columns, TakenNames taken) {
        return ConstraintName.of(free(table + "_" + join(columns) + "_fk", taken::isConstraint));
    }

    @Override
    public IndexName indexName(TableName table, List<Index.Element> elements, TakenNames taken) {
        String middle = elements.stream()
                .map(e -> e instanceof Index.Element.OfColumn c ? c.column().value() : "expr")
                .collect(Collectors.joining("_"));
        return IndexName.of(free(table + "_" + middle + "_ix", taken::isRelation));
    }

    @Override
    public String sequenceName(TableName table, ColumnName column, TakenNames taken) {
        return free(table + "_" + column + "_seq", taken::isRelation);
    }

    private static String join(List<ColumnName> columns) {
        return columns.stream().map(ColumnName::value).collect(Collectors.joining("_"));
    }

    private static String free(String name, Predicate<String> taken) {
        String candidate = name;
        for (int i = 2; taken.test(candidate); i++) {
            candidate = name + i;
        }
        return candidate;
    }
}
