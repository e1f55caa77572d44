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

/** Adds a CHECK constraint, validated against existing rows without blocking writes where the dialect can. */
public record AddCheck(TableName table, Optional<ConstraintName> name, SqlExpression expression) implements Operation {

    public AddCheck {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expression, "expression");
    }

    /** The name given, or {@code <table>_check}. */
    public ConstraintName resolvedName() {
        return name.orElseGet(() -> ConstraintName.of(table.value() + "_check"));
    }

    @Override
    public String describe() {
        return "add check " + resolvedName() + " on " + table;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Names.table(schema, table, problems).ifPresent(t -> {
            problems.addAll(CreateIndex.expressionProblems("CHECK", expression, t));
            if (t.constraint(resolvedName()).isPresent()) {
                problems.add("a constraint named \"" + resolvedName() + "\" already exists on \"" + table + "\"");
            }
        });
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        Table t = schema.requireTable(table);
        List<Constraint> constraints = new ArrayList<>(t.constraints());
        constraints.add(new Constraint.Check(resolvedName(), expression, true));
        return schema.withTable(t.withConstraints(constraints));
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitAddCheck(this);
    }
}
