package io.zerodown.model.schema;

import io.zerodown.model.ColumnName;
import io.zerodown.model.IndexName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.TableName;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An index that does not back a constraint (the index of a PRIMARY KEY or UNIQUE constraint is
 * part of that constraint).
 *
 * @param method    the access method, lower case ({@code btree}, {@code gin}, …)
 * @param valid     false for an index left invalid by a failed concurrent build
 */
public record Index(IndexName name, TableName table, List<Element> elements, boolean unique,
                    Optional<SqlExpression> predicate, String method, boolean valid) {

    public Index {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(table, "table");
        elements = List.copyOf(elements);
        Objects.requireNonNull(predicate, "predicate");
        Objects.requireNonNull(method, "method");
    }

    /** The columns the index reads directly (expression elements are not counted). */
    public List<ColumnName> columns() {
        return elements.stream()
                .filter(Element.OfColumn.class::isInstance)
                .map(e -> ((Element.OfColumn) e).column())
                .toList();
    }

    public Index withName(IndexName newName) {
        return new Index(newName, table, elements, unique, predicate, method, valid);
    }

    public Index withTable(TableName newTable) {
        return new Index(name, newTable, elements, unique, predicate, method, valid);
    }

    public Index withElements(List<Element> newElements) {
        return new Index(name, table, newElements, unique, predicate, method, valid);
    }

    /** One key of an index: a column or an expression, ascending or descending. */
    public sealed interface Element {

        boolean descending();

        record OfColumn(ColumnName column, boolean descending) implements Element {
            public OfColumn {
                Objects.requireNonNull(column, "column");
            }
        }

        record OfExpression(SqlExpression expression, boolean descending) implements Element {
            public OfExpression {
                Objects.requireNonNull(expression, "expression");
            }
        }
    }
}
