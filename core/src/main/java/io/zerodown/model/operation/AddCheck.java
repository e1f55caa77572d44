package io.zerodown.model.operation;

import io.zerodown.model.ConstraintName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Adds a CHECK constraint, validated against existing rows without blocking writes where the
 * dialect can. Like every CHECK, it passes for rows where the expression is NULL.
 *
 * <pre>{@code Migration.on("products").addCheck("price >= 0").named("products_price_positive")}</pre>
 */
public record AddCheck(TableName table, Optional<ConstraintName> name, SqlExpression expression) implements Operation {

    public AddCheck {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expression, "expression");
    }

    /**
     * The name given, or the one PostgreSQL would choose: {@code <table>_<column>_check} when the
     * expression reads exactly one column, {@code <table>_check} otherwise. (PostgreSQL would also
     * number it on a collision; here a collision is a problem, to be settled with a name.)
     */
    public ConstraintName resolvedName() {
        return name.orElseGet(() -> {
            Set<String> columns = expression.problem().isEmpty() ? expression.referencedColumns() : Set.of();
            return ConstraintName.of(columns.size() == 1
                    ? table.value() + "_" + columns.iterator().next() + "_check"
                    : table.value() + "_check");
        });
    }

    /** The constraint once validated. */
    public Constraint.Check constraint() {
        return new Constraint.Check(resolvedName(), expression, true);
    }

    @Override
    public String describe() {
        return "add check " + resolvedName() + " on " + table;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        name.flatMap(n -> Names.badName("constraint", n.value())).ifPresent(problems::add);
        Names.table(schema, table, problems).ifPresent(t -> {
            problems.addAll(CreateIndex.expressionProblems("CHECK", expression, t));
            if (t.constraint(resolvedName()).isPresent()) {
                problems.add("a constraint named \"" + resolvedName() + "\" already exists on \"" + table + "\""
                        + (name.isEmpty() ? "; give this check another name with named(…)" : ""));
            }
        });
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        Table t = schema.requireTable(table);
        List<Constraint> constraints = new ArrayList<>(t.constraints());
        constraints.add(constraint());
        return schema.withTable(t.withConstraints(constraints));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitAddCheck(this);
    }
}
