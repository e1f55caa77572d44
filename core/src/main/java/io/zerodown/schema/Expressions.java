package io.zerodown.schema;

import io.zerodown.model.ColumnName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.schema.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Checks the expressions of DDL: each must be one SQL expression, reading only columns of its table. */
final class Expressions {

    private Expressions() {
    }

    /**
     * The expression, when it is one SQL expression; otherwise a problem is reported.
     *
     * @param what what the expression is, for the message: {@code "the CHECK expression"}
     */
    static Optional<SqlExpression> read(Ddl.Expr written, String what, Consumer<String> problems) {
        SqlExpression expression = SqlExpression.of(written.text());
        Optional<String> problem = expression.problem();
        if (problem.isPresent()) {
            problems.accept(what + " (line " + written.line() + ") cannot be read: " + problem.get()
                    + "; write it as a plain SQL expression");
            return Optional.empty();
        }
        return Optional.of(expression);
    }

    /**
     * The distinct columns the expression reads, in order of appearance. Columns that are not in
     * {@code columns} are reported.
     */
    static List<ColumnName> columnsRead(SqlExpression expression, String what, String table, List<Column> columns,
                                        Consumer<String> problems) {
        List<ColumnName> read = new ArrayList<>();
        for (String name : expression.referencedColumns()) {
            ColumnName column = ColumnName.of(name);
            if (columns.stream().anyMatch(c -> c.name().equals(column))) {
                read.add(column);
            } else {
                problems.accept(what + " reads column \"" + name + "\", which table \"" + table + "\" does not have");
            }
        }
        return read;
    }

    /** Whether the expression reads any column at all (niladic functions are not columns). */
    static boolean readsColumns(SqlExpression expression) {
        return !expression.referencedColumns().isEmpty();
    }
}
