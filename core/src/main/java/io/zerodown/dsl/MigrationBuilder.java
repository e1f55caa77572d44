package io.zerodown.dsl;

import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.IndexName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.SqlType;
import io.zerodown.model.TableName;
import io.zerodown.model.operation.AddCheck;
import io.zerodown.model.operation.AddColumn;
import io.zerodown.model.operation.AddForeignKey;
import io.zerodown.model.operation.AddPrimaryKey;
import io.zerodown.model.operation.AddUnique;
import io.zerodown.model.operation.BackfillColumn;
import io.zerodown.model.operation.Batching;
import io.zerodown.model.operation.ChangeColumnType;
import io.zerodown.model.operation.CreateIndex;
import io.zerodown.model.operation.CreateTable;
import io.zerodown.model.operation.DropColumn;
import io.zerodown.model.operation.DropConstraint;
import io.zerodown.model.operation.DropDefault;
import io.zerodown.model.operation.DropIndex;
import io.zerodown.model.operation.DropNotNull;
import io.zerodown.model.operation.DropTable;
import io.zerodown.model.operation.MergeColumns;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.operation.Operation;
import io.zerodown.model.operation.Reindex;
import io.zerodown.model.operation.RenameColumn;
import io.zerodown.model.operation.RenameTable;
import io.zerodown.model.operation.SetDefault;
import io.zerodown.model.operation.SetNotNull;
import io.zerodown.model.operation.SplitColumn;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The one mutable object of the DSL: the operations described so far and the current table.
 * Each operation hands out a small step object whose options replace that operation with an
 * amended copy; {@link #plan()} takes a snapshot, so building can go on without changing plans
 * already taken. Start with {@code io.zerodown.Migration.on(table)}.
 */
public final class MigrationBuilder implements TableChanges {

    private final List<Operation> operations = new ArrayList<>();
    private TableName table;

    private MigrationBuilder(String table) {
        this.table = TableName.of(Objects.requireNonNull(table, "table"));
    }

    /** A new migration whose first changes apply to {@code table}. */
    public static TableChanges startingWith(String table) {
        return new MigrationBuilder(table);
    }

    @Override
    public TableChanges on(String newTable) {
        this.table = TableName.of(Objects.requireNonNull(newTable, "table"));
        return this;
    }

    @Override
    public MigrationPlan plan() {
        return new MigrationPlan(operations);
    }

    private <O extends Operation> void add(O operation) {
        operations.add(operation);
    }

    /** Replaces the last operation, which must be of {@code type}, with what {@code change} makes of it. */
    <O extends Operation> void amend(Class<O> type, String option, UnaryOperator<O> change) {
        Operation last = operations.isEmpty() ? null : operations.get(operations.size() - 1);
        if (!type.isInstance(last)) {
            throw new IllegalStateException(option + "(…) refines the " + type.getSimpleName() + " just described, but the last operation is "
                    + (last == null ? "missing" : last.describe()));
        }
        operations.set(operations.size() - 1, change.apply(type.cast(last)));
    }

    private static ColumnName column(String name) {
        return ColumnName.of(Objects.requireNonNull(name, "column"));
    }

    private static List<ColumnName> columns(String... names) {
        return Arrays.stream(names).map(MigrationBuilder::column).toList();
    }

    // columns

    @Override
    public AddColumnOptions addColumn(String name, String type) {
        add(new AddColumn(table, new Column(column(name), SqlType.parse(type), true, Optional.empty(), Optional.empty()), Batching.defaults()));
        return new AddColumnStep(this);
    }

    @Override
    public TableChanges dropColumn(String name) {
        add(new DropColumn(table, column(name)));
        return this;
    }

    @Override
    public RenameColumnTarget renameColumn(String name) {
        ColumnName from = column(name);
        return to -> {
            add(new RenameColumn(table, from, column(to)));
            return this;
        };
    }

    @Override
    public ChangeTypeOptions changeType(String name, String type) {
        add(new ChangeColumnType(table, column(name), SqlType.parse(type), Optional.empty(), Batching.defaults()));
        return new ChangeTypeStep(this);
    }

    @Override
    public SplitColumnSeparator splitColumn(String name) {
        return new SplitColumnStep(this, table, column(name));
    }

    @Override
    public MergeColumnsSeparator mergeColumns(String... names) {
        List<ColumnName> sources = columns(names);
        return separator -> target -> {
            add(new MergeColumns(table, sources, Objects.requireNonNull(separator, "separator"), column(target), Optional.empty(),
                    Batching.defaults(), true));
            return new MergeColumnsStep(this);
        };
    }

    @Override
    public BackfillValue backfill(String name) {
        ColumnName target = column(name);
        return expression -> {
            add(new BackfillColumn(table, target, SqlExpression.of(Objects.requireNonNull(expression, "expression")), Batching.defaults()));
            return new BackfillStep(this);
        };
    }

    @Override
    public TableChanges setNotNull(String name) {
        add(new SetNotNull(table, column(name)));
        return this;
    }

    @Override
    public TableChanges dropNotNull(String name) {
        add(new DropNotNull(table, column(name)));
        return this;
    }

    @Override
    public TableChanges setDefault(String name, String expression) {
        add(new SetDefault(table, column(name), SqlExpression.of(Objects.requireNonNull(expression, "expression"))));
        return this;
    }

    @Override
    public TableChanges dropDefault(String name) {
        add(new DropDefault(table, column(name)));
        return this;
    }

    // constraints

    @Override
    public ForeignKeyTarget addForeignKey(String... names) {
        List<ColumnName> from = columns(names);
        return (referenced, referencedColumns) -> {
            add(new AddForeignKey(table, Optional.empty(), from, TableName.of(Objects.requireNonNull(referenced, "table")),
                    columns(referencedColumns), Constraint.ReferentialAction.NO_ACTION, Constraint.ReferentialAction.NO_ACTION, true));
            return new ForeignKeyStep(this);
        };
    }

    @Override
    public ConstraintOptions addCheck(String expression) {
        add(new AddCheck(table, Optional.empty(), SqlExpression.of(Objects.requireNonNull(expression, "expression"))));
        return new ConstraintStep(this);
    }

    @Override
    public ConstraintOptions addUnique(String... names) {
        add(new AddUnique(table, Optional.empty(), columns(names)));
        return new ConstraintStep(this);
    }

    @Override
    public ConstraintOptions addPrimaryKey(String... names) {
        add(new AddPrimaryKey(table, Optional.empty(), columns(names)));
        return new ConstraintStep(this);
    }

    @Override
    public TableChanges dropConstraint(String name) {
        add(new DropConstraint(table, ConstraintName.of(Objects.requireNonNull(name, "name"))));
        return this;
    }

    // indexes

    @Override
    public CreateIndexOptions createIndex(String... names) {
        List<Index.Element> elements = Arrays.stream(names)
                .map(c -> (Index.Element) new Index.Element.OfColumn(column(c), false)).toList();
        add(new CreateIndex(table, Optional.empty(), elements, false, Optional.empty(), "btree"));
        return new CreateIndexStep(this);
    }

    @Override
    public CreateIndexOptions createIndexOnExpressions(String... expressions) {
        List<Index.Element> elements = Arrays.stream(expressions)
                .map(e -> (Index.Element) new Index.Element.OfExpression(SqlExpression.of(Objects.requireNonNull(e, "expression")), false))
                .toList();
        add(new CreateIndex(table, Optional.empty(), elements, false, Optional.empty(), "btree"));
        return new CreateIndexStep(this);
    }

    @Override
    public TableChanges dropIndex(String name) {
        add(new DropIndex(table, IndexName.of(Objects.requireNonNull(name, "name"))));
        return this;
    }

    @Override
    public TableChanges reindex(String name) {
        add(new Reindex(table, IndexName.of(Objects.requireNonNull(name, "name"))));
        return this;
    }

    // tables

    @Override
    public CreateTableOptions createTable() {
        add(new CreateTable(Table.of(table, List.of())));
        return new CreateTableStep(this);
    }

    @Override
    public TableChanges renameTo(String newName) {
        TableName to = TableName.of(Objects.requireNonNull(newName, "newName"));
        add(new RenameTable(table, to));
        table = to;
        return this;
    }

    @Override
    public DropTableOptions dropTable() {
        add(new DropTable(table, false));
        return new DropTableStep(this);
    }

    /** Hands every {@link TableChanges} call of a step object to the builder. */
    private abstract static class Chain implements TableChanges {
        final MigrationBuilder builder;

        Chain(MigrationBuilder builder) {
            this.builder = builder;
        }

        @Override public AddColumnOptions addColumn(String c, String t) { return builder.addColumn(c, t); }
        @Override public TableChanges dropColumn(String c) { return builder.dropColumn(c); }
        @Override public RenameColumnTarget renameColumn(String c) { return builder.renameColumn(c); }
        @Override public ChangeTypeOptions changeType(String c, String t) { return builder.changeType(c, t); }
        @Override public SplitColumnSeparator splitColumn(String c) { return builder.splitColumn(c); }
        @Override public MergeColumnsSeparator mergeColumns(String... c) { return builder.mergeColumns(c); }
        @Override public BackfillValue backfill(String c) { return builder.backfill(c); }
        @Override public TableChanges setNotNull(String c) { return builder.setNotNull(c); }
        @Override public TableChanges dropNotNull(String c) { return builder.dropNotNull(c); }
        @Override public TableChanges setDefault(String c, String e) { return builder.setDefault(c, e); }
        @Override public TableChanges dropDefault(String c) { return builder.dropDefault(c); }
        @Override public ForeignKeyTarget addForeignKey(String... c) { return builder.addForeignKey(c); }
        @Override public ConstraintOptions addCheck(String e) { return builder.addCheck(e); }
        @Override public ConstraintOptions addUnique(String... c) { return builder.addUnique(c); }
        @Override public ConstraintOptions addPrimaryKey(String... c) { return builder.addPrimaryKey(c); }
        @Override public TableChanges dropConstraint(String n) { return builder.dropConstraint(n); }
        @Override public CreateIndexOptions createIndex(String... c) { return builder.createIndex(c); }
        @Override public CreateIndexOptions createIndexOnExpressions(String... e) { return builder.createIndexOnExpressions(e); }
        @Override public TableChanges dropIndex(String n) { return builder.dropIndex(n); }
        @Override public TableChanges reindex(String n) { return builder.reindex(n); }
        @Override public CreateTableOptions createTable() { return builder.createTable(); }
        @Override public TableChanges renameTo(String n) { return builder.renameTo(n); }
        @Override public DropTableOptions dropTable() { return builder.dropTable(); }
        @Override public TableChanges on(String t) { return builder.on(t); }
        @Override public MigrationPlan plan() { return builder.plan(); }
    }

    private static final class AddColumnStep extends Chain implements AddColumnOptions {
        AddColumnStep(MigrationBuilder builder) {
            super(builder);
        }

        private AddColumnOptions column(String option, UnaryOperator<Column> change) {
            builder.amend(AddColumn.class, option, a -> a.withColumn(change.apply(a.column())));
            return this;
        }

        @Override
        public AddColumnOptions notNull() {
            return column("notNull", c -> c.withNullable(false));
        }

        @Override
        public AddColumnOptions defaultValue(String expression) {
            SqlExpression value = SqlExpression.of(Objects.requireNonNull(expression, "expression"));
            return column("defaultValue", c -> c.withDefault(Optional.of(value)));
        }

        @Override
        public AddColumnOptions identity() {
            return column("identity", c -> c.withNullable(false).withGeneration(Optional.of(new Generation.Identity(true))));
        }

        @Override
        public AddColumnOptions generatedAs(String expression) {
            SqlExpression value = SqlExpression.of(Objects.requireNonNull(expression, "expression"));
            return column("generatedAs", c -> c.withGeneration(Optional.of(new Generation.Stored(value))));
        }

        @Override
        public AddColumnOptions batched(int rowsPerBatch) {
            builder.amend(AddColumn.class, "batched", a -> a.withBatching(new Batching(rowsPerBatch, a.batching().pause())));
            return this;
        }
    }

    private static final class ChangeTypeStep extends Chain implements ChangeTypeOptions {
        ChangeTypeStep(MigrationBuilder builder) {
            super(builder);
        }

        @Override
        public ChangeTypeOptions using(String expression) {
            SqlExpression using = SqlExpression.of(Objects.requireNonNull(expression, "expression"));
            builder.amend(ChangeColumnType.class, "using", c -> new ChangeColumnType(c.table(), c.column(), c.type(), Optional.of(using), c.batching()));
            return this;
        }

        @Override
        public ChangeTypeOptions batched(int rowsPerBatch) {
            builder.amend(ChangeColumnType.class, "batched", c -> new ChangeColumnType(c.table(), c.column(), c.type(), c.using(),
                    new Batching(rowsPerBatch, c.batching().pause())));
            return this;
        }
    }

    private static final class SplitColumnStep extends Chain implements SplitColumnSeparator, SplitColumnTargets, SplitColumnOptions {
        private final TableName table;
        private final ColumnName source;
        private String separator;
        private SplitColumn.SplitAt at;

        SplitColumnStep(MigrationBuilder builder, TableName table, ColumnName source) {
            super(builder);
            this.table = table;
            this.source = source;
        }

        @Override
        public SplitColumnTargets atFirst(String sep) {
            this.separator = Objects.requireNonNull(sep, "separator");
            this.at = SplitColumn.SplitAt.FIRST;
            return this;
        }

        @Override
        public SplitColumnTargets atLast(String sep) {
            this.separator = Objects.requireNonNull(sep, "separator");
            this.at = SplitColumn.SplitAt.LAST;
            return this;
        }

        @Override
        public SplitColumnOptions into(String first, String second) {
            builder.add(new SplitColumn(table, source, separator, at, MigrationBuilder.column(first), MigrationBuilder.column(second),
                    Optional.empty(), Optional.empty(), Batching.defaults(), true));
            return this;
        }

        @Override
        public SplitColumnOptions batched(int rowsPerBatch) {
            builder.amend(SplitColumn.class, "batched", s -> s.withBatching(new Batching(rowsPerBatch, s.batching().pause())));
            return this;
        }

        @Override
        public SplitColumnOptions pausing(Duration pause) {
            Objects.requireNonNull(pause, "pause");
            builder.amend(SplitColumn.class, "pausing", s -> s.withBatching(s.batching().withPause(pause)));
            return this;
        }

        @Override
        public SplitColumnOptions types(String firstType, String secondType) {
            SqlType first = SqlType.parse(firstType);
            SqlType second = SqlType.parse(secondType);
            builder.amend(SplitColumn.class, "types", s -> s.withTypes(Optional.of(first), Optional.of(second)));
            return this;
        }

        @Override
        public SplitColumnOptions keepSource() {
            builder.amend(SplitColumn.class, "keepSource", s -> s.withDropSource(false));
            return this;
        }
    }

    private static final class MergeColumnsStep extends Chain implements MergeColumnsOptions {
        MergeColumnsStep(MigrationBuilder builder) {
            super(builder);
        }

        @Override
        public MergeColumnsOptions type(String type) {
            SqlType t = SqlType.parse(type);
            builder.amend(MergeColumns.class, "type", m -> new MergeColumns(m.table(), m.sources(), m.separator(), m.target(), Optional.of(t),
                    m.batching(), m.dropSources()));
            return this;
        }

        @Override
        public MergeColumnsOptions batched(int rowsPerBatch) {
            builder.amend(MergeColumns.class, "batched", m -> new MergeColumns(m.table(), m.sources(), m.separator(), m.target(), m.type(),
                    new Batching(rowsPerBatch, m.batching().pause()), m.dropSources()));
            return this;
        }

        @Override
        public MergeColumnsOptions keepSources() {
            builder.amend(MergeColumns.class, "keepSources", m -> new MergeColumns(m.table(), m.sources(), m.separator(), m.target(), m.type(),
                    m.batching(), false));
            return this;
        }
    }

    private static final class BackfillStep extends Chain implements BackfillOptions {
        BackfillStep(MigrationBuilder builder) {
            super(builder);
        }

        @Override
        public BackfillOptions batched(int rowsPerBatch) {
            builder.amend(BackfillColumn.class, "batched", b -> new BackfillColumn(b.table(), b.column(), b.value(),
                    new Batching(rowsPerBatch, b.batching().pause())));
            return this;
        }
    }

    private static final class ForeignKeyStep extends Chain implements ForeignKeyOptions {
        ForeignKeyStep(MigrationBuilder builder) {
            super(builder);
        }

        private ForeignKeyOptions fk(String option, UnaryOperator<AddForeignKey> change) {
            builder.amend(AddForeignKey.class, option, change);
            return this;
        }

        @Override
        public ForeignKeyOptions named(String name) {
            ConstraintName n = ConstraintName.of(Objects.requireNonNull(name, "name"));
            return fk("named", f -> new AddForeignKey(f.table(), Optional.of(n), f.columns(), f.referencedTable(), f.referencedColumns(),
                    f.onDelete(), f.onUpdate(), f.indexColumns()));
        }

        @Override
        public ForeignKeyOptions onDelete(Constraint.ReferentialAction action) {
            Objects.requireNonNull(action, "action");
            return fk("onDelete", f -> new AddForeignKey(f.table(), f.name(), f.columns(), f.referencedTable(), f.referencedColumns(),
                    action, f.onUpdate(), f.indexColumns()));
        }

        @Override
        public ForeignKeyOptions onUpdate(Constraint.ReferentialAction action) {
            Objects.requireNonNull(action, "action");
            return fk("onUpdate", f -> new AddForeignKey(f.table(), f.name(), f.columns(), f.referencedTable(), f.referencedColumns(),
                    f.onDelete(), action, f.indexColumns()));
        }

        @Override
        public ForeignKeyOptions withoutIndex() {
            return fk("withoutIndex", f -> new AddForeignKey(f.table(), f.name(), f.columns(), f.referencedTable(), f.referencedColumns(),
                    f.onDelete(), f.onUpdate(), false));
        }
    }

    private static final class ConstraintStep extends Chain implements ConstraintOptions {
        ConstraintStep(MigrationBuilder builder) {
            super(builder);
        }

        @Override
        public ConstraintOptions named(String name) {
            Optional<ConstraintName> n = Optional.of(ConstraintName.of(Objects.requireNonNull(name, "name")));
            Operation last = builder.operations.isEmpty() ? null : builder.operations.get(builder.operations.size() - 1);
            if (last instanceof AddCheck) {
                builder.amend(AddCheck.class, "named", c -> new AddCheck(c.table(), n, c.expression()));
            } else if (last instanceof AddUnique) {
                builder.amend(AddUnique.class, "named", u -> new AddUnique(u.table(), n, u.columns()));
            } else {
                builder.amend(AddPrimaryKey.class, "named", p -> new AddPrimaryKey(p.table(), n, p.columns()));
            }
            return this;
        }
    }

    private static final class CreateIndexStep extends Chain implements CreateIndexOptions {
        CreateIndexStep(MigrationBuilder builder) {
            super(builder);
        }

        private CreateIndexOptions index(String option, UnaryOperator<CreateIndex> change) {
            builder.amend(CreateIndex.class, option, change);
            return this;
        }

        @Override
        public CreateIndexOptions named(String name) {
            IndexName n = IndexName.of(Objects.requireNonNull(name, "name"));
            return index("named", i -> new CreateIndex(i.table(), Optional.of(n), i.elements(), i.unique(), i.where(), i.method()));
        }

        @Override
        public CreateIndexOptions unique() {
            return index("unique", i -> new CreateIndex(i.table(), i.name(), i.elements(), true, i.where(), i.method()));
        }

        @Override
        public CreateIndexOptions where(String predicate) {
            SqlExpression where = SqlExpression.of(Objects.requireNonNull(predicate, "predicate"));
            return index("where", i -> new CreateIndex(i.table(), i.name(), i.elements(), i.unique(), Optional.of(where), i.method()));
        }

        @Override
        public CreateIndexOptions using(String method) {
            String m = Objects.requireNonNull(method, "method").toLowerCase(java.util.Locale.ROOT);
            return index("using", i -> new CreateIndex(i.table(), i.name(), i.elements(), i.unique(), i.where(), m));
        }
    }

    private static final class CreateTableStep extends Chain implements CreateTableOptions {
        CreateTableStep(MigrationBuilder builder) {
            super(builder);
        }

        private CreateTableOptions table(String option, UnaryOperator<Table> change) {
            builder.amend(CreateTable.class, option, c -> new CreateTable(change.apply(c.definition())));
            return this;
        }

        private CreateTableOptions lastColumn(String option, UnaryOperator<Column> change) {
            return table(option, t -> {
                if (t.columns().isEmpty()) {
                    throw new IllegalStateException(option + "(…) refines the last column, but no column was given yet");
                }
                List<Column> columns = new ArrayList<>(t.columns());
                columns.set(columns.size() - 1, change.apply(columns.get(columns.size() - 1)));
                return t.withColumns(columns);
            });
        }

        @Override
        public CreateTableOptions column(String name, String type) {
            Column column = Column.of(Objects.requireNonNull(name, "name"), SqlType.parse(type));
            return table("column", t -> {
                List<Column> columns = new ArrayList<>(t.columns());
                columns.add(column);
                return t.withColumns(columns);
            });
        }

        @Override
        public CreateTableOptions notNull() {
            return lastColumn("notNull", c -> c.withNullable(false));
        }

        @Override
        public CreateTableOptions defaultValue(String expression) {
            SqlExpression value = SqlExpression.of(Objects.requireNonNull(expression, "expression"));
            return lastColumn("defaultValue", c -> c.withDefault(Optional.of(value)));
        }

        @Override
        public CreateTableOptions primaryKey(String... names) {
            List<ColumnName> key = columns(names);
            return table("primaryKey", t -> {
                List<Constraint> constraints = new ArrayList<>(t.constraints());
                constraints.add(new Constraint.PrimaryKey(ConstraintName.of(t.name().value() + "_pkey"), key));
                Table keyed = t.withConstraints(constraints);
                for (ColumnName c : key) {
                    if (keyed.hasColumn(c)) {
                        keyed = keyed.withColumn(c, col -> col.withNullable(false));
                    }
                }
                return keyed;
            });
        }

        @Override
        public CreateTableOptions unique(String... names) {
            List<ColumnName> key = columns(names);
            return table("unique", t -> {
                List<Constraint> constraints = new ArrayList<>(t.constraints());
                constraints.add(new Constraint.Unique(ConstraintName.of(t.name().value() + "_"
                        + String.join("_", key.stream().map(ColumnName::value).toList()) + "_key"), key));
                return t.withConstraints(constraints);
            });
        }
    }

    private static final class DropTableStep extends Chain implements DropTableOptions {
        DropTableStep(MigrationBuilder builder) {
            super(builder);
        }

        @Override
        public DropTableOptions renameFirst() {
            builder.amend(DropTable.class, "renameFirst", d -> new DropTable(d.table(), true));
            return this;
        }
    }
}
