package io.zerodown.model.operation;

import io.zerodown.model.TableName;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Creates a table (its columns, constraints and indexes). */
public record CreateTable(Table definition) implements Operation {

    public CreateTable {
        Objects.requireNonNull(definition, "definition");
    }

    @Override
    public TableName table() {
        return definition.name();
    }

    @Override
    public String describe() {
        return "create table " + definition.name();
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Names.badName("table", definition.name().value()).ifPresent(problems::add);
        if (schema.table(definition.name()).isPresent()) {
            problems.add("a table named \"" + definition.name() + "\" already exists");
        }
        if (definition.columns().isEmpty()) {
            problems.add("a table needs at least one column");
        }
        return problems;
    }

    @Override
    public Schema applyTo(Schema schema) {
        return schema.withTable(definition);
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitCreateTable(this);
    }
}
