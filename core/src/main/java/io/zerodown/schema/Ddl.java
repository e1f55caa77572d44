package io.zerodown.schema;

import io.zerodown.model.SqlType;
import io.zerodown.model.schema.Constraint.ReferentialAction;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The syntax of the statements {@link DdlSchemaParser} understands, as written: names not yet
 * folded, types not yet normalised, nothing checked against the schema.
 */
sealed interface Ddl permits Ddl.CreateTable, Ddl.CreateIndex, Ddl.AlterTable {

    /** An identifier as written; {@code text} is without quotes. */
    record Name(String text, boolean quoted) {
        public Name {
            Objects.requireNonNull(text, "text");
        }

        /** The identifier as the author wrote it, for messages. */
        String written() {
            return quoted ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
        }
    }

    /** A table name, maybe with a schema: {@code public.users}. */
    record QualifiedName(Optional<Name> schema, Name name) {
        String written() {
            return schema.map(s -> s.written() + ".").orElse("") + name.written();
        }
    }

    /** An expression's text as written, and the line it starts on. */
    record Expr(String text, int line) {
    }

    record CreateTable(QualifiedName table, boolean ifNotExists, List<ColumnDef> columns,
                       List<TableConstraint> constraints) implements Ddl {
        public CreateTable {
            columns = List.copyOf(columns);
            constraints = List.copyOf(constraints);
        }
    }

    /**
     * A column definition. Its PRIMARY KEY, UNIQUE, CHECK and REFERENCES clauses are turned into
     * table constraints on the column, in the order they were written among the table's elements.
     *
     * @param notNull {@code NOT NULL} (true), {@code NULL} (false) or neither (empty)
     */
    record ColumnDef(Name name, SqlType type, Optional<Boolean> notNull, Optional<Expr> defaultValue,
                     Optional<Generated> generated) {
    }

    /** {@code GENERATED … AS IDENTITY} or {@code GENERATED ALWAYS AS (…) STORED}. */
    sealed interface Generated {
        record Identity(boolean always) implements Generated {
        }

        record Stored(Expr expression) implements Generated {
        }
    }

    /** A table constraint, or a column constraint on its column. */
    sealed interface TableConstraint {
        Optional<Name> name();
    }

    record Key(Optional<Name> name, boolean primary, List<Name> columns) implements TableConstraint {
        public Key {
            columns = List.copyOf(columns);
        }
    }

    record Check(Optional<Name> name, Expr expression, boolean notValid) implements TableConstraint {
    }

    /** @param referencedColumns empty when the DDL names none (the referenced table's primary key) */
    record ForeignKey(Optional<Name> name, List<Name> columns, QualifiedName referencedTable,
                      List<Name> referencedColumns, ReferentialAction onDelete, ReferentialAction onUpdate,
                      boolean notValid) implements TableConstraint {
        public ForeignKey {
            columns = List.copyOf(columns);
            referencedColumns = List.copyOf(referencedColumns);
        }
    }

    record CreateIndex(boolean unique, boolean ifNotExists, Optional<Name> name, QualifiedName table,
                       Optional<Name> method, List<IndexElement> elements, Optional<Expr> predicate) implements Ddl {
        public CreateIndex {
            elements = List.copyOf(elements);
        }
    }

    /** A column or an expression of an index. */
    record IndexElement(Optional<Name> column, Optional<Expr> expression, boolean descending) {
    }

    /** {@code ALTER TABLE t ADD …, ADD …}: only constraints can be added. */
    record AlterTable(QualifiedName table, List<TableConstraint> additions) implements Ddl {
        public AlterTable {
            additions = List.copyOf(additions);
        }
    }
}
