package io.zerodown.model.schema;

import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.TableName;
import java.util.List;
import java.util.Objects;

/** A table constraint. Every constraint has a name: the dialect names those the DDL left unnamed. */
public sealed interface Constraint {

    ConstraintName name();

    /** The columns the constraint is declared on (empty for a CHECK). */
    List<ColumnName> columns();

    Constraint withName(ConstraintName newName);

    record PrimaryKey(ConstraintName name, List<ColumnName> columns) implements Constraint {
        public PrimaryKey {
            Objects.requireNonNull(name, "name");
            columns = List.copyOf(columns);
        }

        @Override
        public PrimaryKey withName(ConstraintName newName) {
            return new PrimaryKey(newName, columns);
        }
    }

    record Unique(ConstraintName name, List<ColumnName> columns) implements Constraint {
        public Unique {
            Objects.requireNonNull(name, "name");
            columns = List.copyOf(columns);
        }

        @Override
        public Unique withName(ConstraintName newName) {
            return new Unique(newName, columns);
        }
    }

    /** A CHECK; {@code validated} is false while it is {@code NOT VALID}. */
    record Check(ConstraintName name, SqlExpression expression, boolean validated) implements Constraint {
        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(expression, "expression");
        }

        @Override
        public List<ColumnName> columns() {
            return List.of();
        }

        @Override
        public Check withName(ConstraintName newName) {
            return new Check(newName, expression, validated);
        }
    }

    /** A FOREIGN KEY; {@code validated} is false while it is {@code NOT VALID}. */
    record ForeignKey(ConstraintName name, List<ColumnName> columns, TableName referencedTable,
                      List<ColumnName> referencedColumns, ReferentialAction onDelete, ReferentialAction onUpdate,
                      boolean validated) implements Constraint {
        public ForeignKey {
            Objects.requireNonNull(name, "name");
            columns = List.copyOf(columns);
            Objects.requireNonNull(referencedTable, "referencedTable");
            referencedColumns = List.copyOf(referencedColumns);
            Objects.requireNonNull(onDelete, "onDelete");
            Objects.requireNonNull(onUpdate, "onUpdate");
        }

        @Override
        public ForeignKey withName(ConstraintName newName) {
            return new ForeignKey(newName, columns, referencedTable, referencedColumns, onDelete, onUpdate, validated);
        }
    }

    /** What a foreign key does when the referenced row is deleted or its key updated. */
    enum ReferentialAction {
        NO_ACTION, RESTRICT, CASCADE, SET_NULL, SET_DEFAULT;

        public String sql() {
            return name().replace('_', ' ');
        }
    }
}
