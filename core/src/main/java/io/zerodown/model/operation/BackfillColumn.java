package io.zerodown.model.operation;

import io.zerodown.model.ColumnName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;

/**
 * Fills an existing column from an SQL expression over the row, in committed keyset batches:
 * {@code Migration.on("users").backfill("slug").with("lower(name)")}.
 *
 * <p>The expression reads columns of the same row only, written without a table name
 * ({@code lower(name)}, {@code coalesce(status, 'active')}, {@code now()}); subqueries and
 * parameters are refused, since a value that depends on other rows or tables could not be kept
 * current. It may read the column it fills ({@code coalesce(status, 'active')}); it must then give
 * the same value when applied twice, because writes of the column are passed through it until the
 * contract phase.
 *
 * @param table    the table
 * @param column   the column to fill (it must exist and be writable)
 * @param value    the expression whose value the column receives
 * @param batching how the backfill is cut into transactions
 */
public record BackfillColumn(TableName table, ColumnName column, SqlExpression value, Batching batching) implements Operation {

    /** SQL's niladic functions, which a parser may take for column names when written without parentheses. */
    private static final Set<String> NILADIC = Set.of("current_date", "current_time", "current_timestamp", "localtime",
            "localtimestamp", "current_user", "current_role", "session_user", "user", "current_catalog", "current_schema");

    public BackfillColumn {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(batching, "batching");
    }

    @Override
    public String describe() {
        return "backfill " + table + "." + column + " with " + value.source();
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        problems.addAll(batching.problems());
        Optional<String> unparsable = value.problem();
        unparsable.ifPresent(p -> problems.add("value: " + p));
        Optional<Table> t = Names.table(schema, table, problems);
        if (t.isEmpty()) {
            return problems;
        }
        Table found = t.get();
        Optional<Column> target = found.column(column);
        if (target.isEmpty()) {
            problems.add(Names.unknownColumn(found, column));
        } else if (target.get().generation().orElse(null) instanceof Generation.Stored) {
            problems.add("column \"" + column + "\" is generated (GENERATED ALWAYS AS … STORED): the database computes it and it "
                    + "cannot be written");
        } else if (target.get().generation().orElse(null) instanceof Generation.Identity identity && identity.always()) {
            problems.add("column \"" + column + "\" is GENERATED ALWAYS AS IDENTITY: it cannot be written");
        }
        if (unparsable.isEmpty()) {
            problems.addAll(shapeProblems());
            for (String name : value.referencedColumns()) {
                if (!found.hasColumn(ColumnName.of(name)) && !NILADIC.contains(name.toLowerCase(Locale.ROOT))) {
                    problems.add("value " + value.source() + ": " + Names.unknownColumn(found, ColumnName.of(name))
                            + "; the expression can read only columns of the row being filled");
                }
            }
        }
        return problems;
    }

    /** The columns of the table the expression reads, in order of appearance (the filled column included, if it reads it). */
    public List<ColumnName> readColumns(Table table) {
        Set<ColumnName> read = new LinkedHashSet<>();
        for (String name : value.referencedColumns()) {
            ColumnName c = ColumnName.of(name);
            if (table.hasColumn(c)) {
                read.add(c);
            }
        }
        return List.copyOf(read);
    }

    /** Whether the expression reads the column it fills ({@code coalesce(status, 'active')}). */
    public boolean readsItself(Table table) {
        return readColumns(table).contains(column);
    }

    /** Table-qualified columns, subqueries and parameters: what makes the expression more than a function of the row. */
    private List<String> shapeProblems() {
        Set<String> problems = new LinkedHashSet<>();
        Expression expression;
        try {
            expression = CCJSqlParserUtil.parseExpression(value.source(), false);
        } catch (JSQLParserException | RuntimeException e) {
            return List.of();
        }
        String source = value.source();
        expression.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(net.sf.jsqlparser.schema.Column c, S context) {
                if (c.getTable() != null && c.getTable().getName() != null && !c.getTable().getName().isEmpty()) {
                    problems.add("value " + source + ": write columns without a table name (" + c.getColumnName() + ", not "
                            + c.getFullyQualifiedName() + "); the expression is evaluated over the row being filled");
                }
                return null;
            }

            @Override
            public <S> Void visit(ParenthesedSelect select, S context) {
                problems.add(subquery(source));
                return null;
            }

            @Override
            public <S> Void visit(Select select, S context) {
                problems.add(subquery(source));
                return null;
            }

            @Override
            public <S> Void visit(JdbcParameter parameter, S context) {
                problems.add("value " + source + ": parameters ($1, ?) cannot be used; write the value into the expression");
                return null;
            }

            @Override
            public <S> Void visit(JdbcNamedParameter parameter, S context) {
                problems.add("value " + source + ": parameters (:name) cannot be used; write the value into the expression");
                return null;
            }
        }, null);
        return List.copyOf(problems);
    }

    private static String subquery(String source) {
        return "value " + source + ": a subquery reads other rows or tables, whose later changes the backfill could not follow; "
                + "use an expression over the row's own columns (copy the data in with a separate job if it comes from elsewhere)";
    }

    @Override
    public Schema applyTo(Schema schema) {
        schema.requireTable(table);
        return schema;
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitBackfillColumn(this);
    }

    @Override
    public java.util.Set<ColumnName> derivedColumns() {
        return java.util.Set.of(column);
    }

    @Override
    public java.util.Set<ColumnName> sourceColumns() {
        return value.referencedColumns().stream().map(ColumnName::of).collect(java.util.stream.Collectors.toSet());
    }
}
