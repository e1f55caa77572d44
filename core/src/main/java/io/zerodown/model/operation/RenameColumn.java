package io.zerodown.model.operation;

import io.zerodown.model.ColumnName;
import io.zerodown.model.TableName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Renames a column without breaking running code: the dialect keeps old and new names working side by side until the contract phase. */
public record RenameColumn(TableName table, ColumnName column, ColumnName to) implements Operation {

    public RenameColumn {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(to, "to");
    }

    @Override
    public String describe() {
        return "rename column " + table + "." + column + " to " + to;
    }

    @Override
    public List<String> problems(Schema schema) {
        List<String> problems = new ArrayList<>();
        Optional<Table> t = Names.table(schema, table, problems);
        t.ifPresent(found -> Names.requireColumns(found, List.of(column), problems));
        Names.badName("new column", to.value()).ifPresent(problems::add);
        t.filter(found -> found.hasColumn(to)).ifPresent(found -> problems.add("column \"" + to + "\" already exists in table \"" + table + "\""));
        return problems;
    }

    /**
     * Renames the column and every reference to it, as a database does: the table's key and
     * unique constraints, foreign keys (its own, and those of any table that reference it), CHECK
     * expressions, index keys, expressions and predicates, and the expressions of generated
     * columns. Constraint and index names do not change.
     */
    @Override
    public Schema applyTo(Schema schema) {
        Table renamed = schema.requireTable(table);
        List<Column> columns = new ArrayList<>();
        for (Column c : renamed.columns()) {
            Column current = c.name().equals(column) ? c.withName(to) : c;
            if (current.generation().orElse(null) instanceof Generation.Stored stored) {
                current = current.withGeneration(Optional.of(new Generation.Stored(rename(stored.expression()))));
            }
            columns.add(current);
        }
        renamed = renamed.withColumns(columns)
                .withIndexes(renamed.indexes().stream().map(this::rename).toList())
                .withConstraints(renamed.constraints().stream().map(this::renameOwn).toList());
        List<Table> tables = new ArrayList<>();
        for (Table t : schema.tables()) {
            Table current = t.name().equals(table) ? renamed : t;
            tables.add(current.withConstraints(current.constraints().stream()
                    .map(c -> c instanceof Constraint.ForeignKey fk && fk.referencedTable().equals(table)
                            ? new Constraint.ForeignKey(fk.name(), fk.columns(), fk.referencedTable(), rename(fk.referencedColumns()),
                                    fk.onDelete(), fk.onUpdate(), fk.validated())
                            : c)
                    .toList()));
        }
        return new Schema(tables, schema.functions());
    }

    private Constraint renameOwn(Constraint constraint) {
        if (constraint instanceof Constraint.PrimaryKey pk) {
            return new Constraint.PrimaryKey(pk.name(), rename(pk.columns()));
        }
        if (constraint instanceof Constraint.Unique u) {
            return new Constraint.Unique(u.name(), rename(u.columns()));
        }
        if (constraint instanceof Constraint.Check c) {
            return new Constraint.Check(c.name(), rename(c.expression()), c.validated());
        }
        Constraint.ForeignKey fk = (Constraint.ForeignKey) constraint;
        return new Constraint.ForeignKey(fk.name(), rename(fk.columns()), fk.referencedTable(), fk.referencedColumns(),
                fk.onDelete(), fk.onUpdate(), fk.validated());
    }

    private Index rename(Index index) {
        List<Index.Element> elements = index.elements().stream()
                .map(e -> e instanceof Index.Element.OfColumn c && c.column().equals(column)
                        ? new Index.Element.OfColumn(to, c.descending())
                        : e instanceof Index.Element.OfExpression x
                        ? (Index.Element) new Index.Element.OfExpression(rename(x.expression()), x.descending())
                        : e)
                .toList();
        return new Index(index.name(), index.table(), elements, index.unique(), index.predicate().map(this::rename), index.method(),
                index.valid());
    }

    private List<ColumnName> rename(List<ColumnName> columns) {
        return columns.stream().map(c -> c.equals(column) ? to : c).toList();
    }

    private SqlExpression rename(SqlExpression expression) {
        return expression.withColumnRenamed(column.value(), to.value());
    }

    @Override
    public <R> R accept(OperationVisitor<R> visitor) {
        return visitor.visitRenameColumn(this);
    }

    @Override
    public java.util.Set<ColumnName> derivedColumns() {
        return java.util.Set.of(to);
    }

    @Override
    public java.util.Set<ColumnName> sourceColumns() {
        return java.util.Set.of(column);
    }
}
