package io.zerodown.plan;

import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.FunctionName;
import io.zerodown.model.IndexName;
import io.zerodown.model.TableName;
import io.zerodown.model.TriggerName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import io.zerodown.model.schema.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What a step does to the schema, as data. Applying the effects of a plan's steps to a
 * {@link Schema} simulates the plan without a database; the dialects' tests check that the
 * simulation matches what a real server reports after running the SQL.
 *
 * <p>{@link #apply(Schema)} refuses an effect that does not fit the schema (adding a column that
 * exists, dropping one that does not) with an {@link IllegalStateException}: a compiler bug, not
 * user input, since plans are validated before they are compiled.
 */
public sealed interface SchemaChange {

    Schema apply(Schema schema);

    String describe();

    record AddColumn(TableName table, Column column) implements SchemaChange {
        @Override
        public Schema apply(Schema schema) {
            return edit(schema, table, t -> {
                require(!t.hasColumn(column.name()), "column \"" + column.name() + "\" already exists on \"" + table + "\"");
                List<Column> columns = new ArrayList<>(t.columns());
                columns.add(column);
                return t.withColumns(columns);
            });
        }

        @Override
        public String describe() {
            return "add column " + table + "." + column.name() + " " + column.type().sql();
        }
    }

    record DropColumn(TableName table, ColumnName column) implements SchemaChange {
        @Override
        public Schema apply(Schema schema) {
            return edit(schema, table, t -> {
                require(t.hasColumn(column), "no column \"" + column + "\" on \"" + table + "\"");
                return t.withColumns(t.columns().stream().filter(c -> !c.name().equals(column)).toList());
            });
        }

        @Override
        public String describe() {
            return "drop column " + table + "." + column;
        }
    }

    /** Replaces a column's definition (type, nullability, default or generation) keeping its position. */
    record AlterColumn(TableName table, Column column) implements SchemaChange {
        @Override
        public Schema apply(Schema schema) {
            return edit(schema, table, t -> {
                require(t.hasColumn(column.name()), "no column \"" + column.name() + "\" on \"" + table + "\"");
                return t.withColumn(column.name(), c -> column);
            });
        }

        @Override
        public String describe() {
            return "alter column " + table + "." + column.name();
        }
    }

    record AddIndex(Index index) implements SchemaChange {
        @Override
        public Schema apply(Schema schema) {
            require(schema.index(index.name()).isEmpty(), "index \"" + index.name() + "\" already exists");
            return edit(schema, index.table(), t -> {
                List<Index> indexes = new ArrayList<>(t.indexes());
                indexes.add(index);
                return t.withIndexes(indexes);
            });
        }

        @Override
        public String describe() {
            return "add index " + index.name() + " on " + index.table();
        }
    }

    record DropIndex(TableName table, IndexName index) implements SchemaChange {
        @Override
        public Schema apply(Schema schema) {
            return edit(schema, table, t -> {
                require(t.index(index).isPresent(), "no index \"" + index + "\" on \"" + table + "\"");
                return t.withIndexes(t.indexes().stream().filter(i -> !i.name().equals(index)).toList());
            });
        }

        @Override
        public String describe() {
            return "drop index " + index;
        }
    }

    record AddConstraint(TableName table, Constraint constraint) implements SchemaChange {
        @Override
        public Schema apply(Schema schema) {
            return edit(schema, table, t -> {
                require(t.constraint(constraint.name()).isEmpty(),
                        "constraint \"" + constraint.name() + "\" already exists on \"" + table + "\"");
                List<Constraint> constraints = new ArrayList<>(t.constraints());
                constraints.add(constraint);
                return t.withConstraints(constraints);
            });
        }

        @Override
        public String describe() {
            return "add constraint " + constraint.name() + " on " + table;
        }
    }

    record DropConstraint(TableName table, ConstraintName constraint) implements SchemaChange {
        @Override
        public Schema apply(Schema schema) {
            return edit(schema, table, t -> {
                require(t.constraint(constraint).isPresent(), "no constraint \"" + constraint + "\" on \"" + table + "\"");
                return t.withConstraints(t.constraints().stream().filter(c -> !c.name().equals(constraint)).toList());
            });
        }

        @Override
        public String describe() {
            return "drop constraint " + constraint + " on " + table;
        }
    }

    /** Marks a NOT VALID CHECK or FOREIGN KEY as validated (what {@code VALIDATE CONSTRAINT} does). */
    record ValidateConstraint(TableName table, ConstraintName constraint) implements SchemaChange {
        @Override
        public Schema apply(Schema schema) {
            return edit(schema, table, t -> {
                Constraint found = t.constraint(constraint).orElseThrow(
                        () -> new IllegalStateException("no constraint \"" + constraint + "\" on \"" + table + "\""));
                Constraint validated;
                if (found instanceof Constraint.Check c) {
                    validated = new Constraint.Check(c.name(), c.expression(), true);
                } else if (found instanceof Constraint.ForeignKey f) {
                    validated = new Constraint.ForeignKey(f.name(), f.columns(), f.referencedTable(), f.referencedColumns(),
                            f.onDelete(), f.onUpdate(), true);
                } else {
                    throw new IllegalStateException("constraint \"" + constraint + "\" on \"" + table
                            + "\" is neither a CHECK nor a FOREIGN KEY; only those can be validated");
                }
                List<Constraint> constraints = new ArrayList<>(t.constraints().stream().filter(c -> !c.name().equals(constraint)).toList());
                constraints.add(validated);
                return t.withConstraints(constraints);
            });
        }

        @Override
        public String describe() {
            return "validate constraint " + constraint + " on " + table;
        }
    }

    record AddTrigger(TableName table, Trigger trigger) implements SchemaChange {
        @Override
        public Schema apply(Schema schema) {
            require(schema.functions().contains(trigger.function()), "trigger function \"" + trigger.function() + "\" does not exist");
            return edit(schema, table, t -> {
                require(t.trigger(trigger.name()).isEmpty(), "trigger \"" + trigger.name() + "\" already exists on \"" + table + "\"");
                List<Trigger> triggers = new ArrayList<>(t.triggers());
                triggers.add(trigger);
                return t.withTriggers(triggers);
            });
        }

        @Override
        public String describe() {
            return "add trigger " + trigger.name() + " on " + table;
        }
    }

    record DropTrigger(TableName table, TriggerName trigger) implements SchemaChange {
        @Override
        public Schema apply(Schema schema) {
            return edit(schema, table, t -> {
                require(t.trigger(trigger).isPresent(), "no trigger \"" + trigger + "\" on \"" + table + "\"");
                return t.withTriggers(t.triggers().stream().filter(tr -> !tr.name().equals(trigger)).toList());
            });
        }

        @Override
        public String describe() {
            return "drop trigger " + trigger + " on " + table;
        }
    }

    record AddFunction(FunctionName function) implements SchemaChange {
        @Override
        public Schema apply(Schema schema) {
            require(!schema.functions().contains(function), "function \"" + function + "\" already exists");
            List<FunctionName> functions = new ArrayList<>(schema.functions());
            functions.add(function);
            return schema.withFunctions(functions);
        }

        @Override
        public String describe() {
            return "add function " + function;
        }
    }

    record DropFunction(FunctionName function) implements SchemaChange {
        @Override
        public Schema apply(Schema schema) {
            require(schema.functions().contains(function), "no function \"" + function + "\"");
            boolean used = schema.tables().stream().flatMap(t -> t.triggers().stream()).anyMatch(t -> t.function().equals(function));
            require(!used, "function \"" + function + "\" is still used by a trigger");
            return schema.withFunctions(schema.functions().stream().filter(f -> !f.equals(function)).toList());
        }

        @Override
        public String describe() {
            return "drop function " + function;
        }
    }

    record CreateTable(Table table) implements SchemaChange {
        @Override
        public Schema apply(Schema schema) {
            require(schema.table(table.name()).isEmpty(), "table \"" + table.name() + "\" already exists");
            return schema.withTable(table);
        }

        @Override
        public String describe() {
            return "create table " + table.name();
        }
    }

    record DropTable(TableName table) implements SchemaChange {
        @Override
        public Schema apply(Schema schema) {
            require(schema.table(table).isPresent(), "no table \"" + table + "\"");
            return schema.withoutTable(table);
        }

        @Override
        public String describe() {
            return "drop table " + table;
        }
    }

    /**
     * Renames a table. Its columns, constraints, indexes and triggers keep their names (so do the
     * sequences of its serial columns); foreign keys of every table that reference it follow it,
     * as they do in a database, where they point at the table itself rather than at its name.
     */
    record RenameTable(TableName table, TableName to) implements SchemaChange {
        @Override
        public Schema apply(Schema schema) {
            require(schema.table(table).isPresent(), "no table \"" + table + "\"");
            require(schema.table(to).isEmpty(), "table \"" + to + "\" already exists");
            return new io.zerodown.model.operation.RenameTable(table, to).applyTo(schema);
        }

        @Override
        public String describe() {
            return "rename table " + table + " to " + to;
        }
    }

    /**
     * Renames a column, keeping its position and definition. Indexes and constraints of its table
     * that name it, and foreign keys of any table that reference it, follow it, as they do in a
     * database (they point at the column itself, not at its name). Expression texts (checks,
     * index expressions, defaults) are not rewritten.
     */
    record RenameColumn(TableName table, ColumnName column, ColumnName to) implements SchemaChange {
        @Override
        public Schema apply(Schema schema) {
            Table t = schema.table(table).orElseThrow(() -> new IllegalStateException("no table \"" + table + "\""));
            require(t.hasColumn(column), "no column \"" + column + "\" on \"" + table + "\"");
            require(!t.hasColumn(to), "column \"" + to + "\" already exists on \"" + table + "\"");
            List<Table> tables = new ArrayList<>();
            for (Table other : schema.tables()) {
                Table edited = other;
                if (other.name().equals(table)) {
                    edited = other.withColumn(column, c -> c.withName(to))
                            .withIndexes(other.indexes().stream().map(i -> i.withElements(i.elements().stream()
                                    .map(e -> e instanceof Index.Element.OfColumn oc && oc.column().equals(column)
                                            ? (Index.Element) new Index.Element.OfColumn(to, oc.descending()) : e).toList())).toList())
                            .withConstraints(other.constraints().stream().map(c -> renamedIn(c, column, to)).toList());
                }
                edited = edited.withConstraints(edited.constraints().stream().map(c -> c instanceof Constraint.ForeignKey fk
                        && fk.referencedTable().equals(table) ? new Constraint.ForeignKey(fk.name(), fk.columns(), fk.referencedTable(),
                        renamed(fk.referencedColumns(), column, to), fk.onDelete(), fk.onUpdate(), fk.validated()) : c).toList());
                tables.add(edited);
            }
            return new Schema(tables, schema.functions());
        }

        private static Constraint renamedIn(Constraint c, ColumnName from, ColumnName to) {
            if (c instanceof Constraint.PrimaryKey pk) {
                return new Constraint.PrimaryKey(pk.name(), renamed(pk.columns(), from, to));
            }
            if (c instanceof Constraint.Unique u) {
                return new Constraint.Unique(u.name(), renamed(u.columns(), from, to));
            }
            if (c instanceof Constraint.ForeignKey fk) {
                return new Constraint.ForeignKey(fk.name(), renamed(fk.columns(), from, to), fk.referencedTable(), fk.referencedColumns(),
                        fk.onDelete(), fk.onUpdate(), fk.validated());
            }
            return c;
        }

        private static List<ColumnName> renamed(List<ColumnName> columns, ColumnName from, ColumnName to) {
            return columns.stream().map(c -> c.equals(from) ? to : c).toList();
        }

        @Override
        public String describe() {
            return "rename column " + table + "." + column + " to " + to;
        }
    }

    /** Applies the changes in order. */
    static Schema applyAll(Schema schema, List<SchemaChange> changes) {
        Schema result = schema;
        for (SchemaChange change : changes) {
            result = change.apply(result);
        }
        return result;
    }

    private static Schema edit(Schema schema, TableName table, UnaryOperator<Table> change) {
        Objects.requireNonNull(table, "table");
        Table t = schema.table(table).orElseThrow(() -> new IllegalStateException("no table \"" + table + "\""));
        return schema.withTable(change.apply(t));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
