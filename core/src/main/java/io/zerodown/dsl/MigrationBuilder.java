package io.zerodown.dsl;

import io.zerodown.model.ColumnName;
import io.zerodown.model.IndexName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.SqlType;
import io.zerodown.model.TableName;
import io.zerodown.model.operation.Batching;
import io.zerodown.model.operation.CreateIndex;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.operation.Operation;
import io.zerodown.model.operation.SplitColumn;
import io.zerodown.model.schema.Index;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The one mutable object of the DSL: it collects operations and hands out the step interfaces.
 * Each option call replaces the operation it refines with an amended copy; {@link #plan()} takes
 * a snapshot, so the builder can go on without changing plans already taken.
 */
public final class MigrationBuilder implements TableChanges, SplitColumnSeparator, SplitColumnTargets,
        SplitColumnOptions, CreateIndexOptions {

    private final List<Operation> operations = new ArrayList<>();
    private TableName table;
    private ColumnName splitSource;
    private String splitSeparator;
    private SplitColumn.SplitAt splitAt;

    public MigrationBuilder(String table) {
        this.table = TableName.of(Objects.requireNonNull(table, "table"));
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

    // split column

    @Override
    public SplitColumnSeparator splitColumn(String column) {
        this.splitSource = ColumnName.of(Objects.requireNonNull(column, "column"));
        return this;
    }

    @Override
    public SplitColumnTargets atFirst(String separator) {
        return at(separator, SplitColumn.SplitAt.FIRST);
    }

    @Override
    public SplitColumnTargets atLast(String separator) {
        return at(separator, SplitColumn.SplitAt.LAST);
    }

    private SplitColumnTargets at(String separator, SplitColumn.SplitAt where) {
        this.splitSeparator = Objects.requireNonNull(separator, "separator");
        this.splitAt = where;
        return this;
    }

    @Override
    public SplitColumnOptions into(String first, String second) {
        operations.add(new SplitColumn(table, splitSource, splitSeparator, splitAt,
                ColumnName.of(Objects.requireNonNull(first, "first")), ColumnName.of(Objects.requireNonNull(second, "second")),
                Optional.empty(), Optional.empty(), Batching.defaults(), true));
        return this;
    }

    @Override
    public SplitColumnOptions batched(int rowsPerBatch) {
        return amend(SplitColumn.class, "batched", s -> s.withBatching(new Batching(rowsPerBatch, s.batching().pause())));
    }

    @Override
    public SplitColumnOptions pausing(Duration pause) {
        Objects.requireNonNull(pause, "pause");
        return amend(SplitColumn.class, "pausing", s -> s.withBatching(s.batching().withPause(pause)));
    }

    @Override
    public SplitColumnOptions types(String firstType, String secondType) {
        SqlType first = SqlType.parse(firstType);
        SqlType second = SqlType.parse(secondType);
        return amend(SplitColumn.class, "types", s -> s.withTypes(Optional.of(first), Optional.of(second)));
    }

    @Override
    public SplitColumnOptions keepSource() {
        return amend(SplitColumn.class, "keepSource", s -> s.withDropSource(false));
    }

    // create index

    @Override
    public CreateIndexOptions createIndex(String... columns) {
        List<Index.Element> elements = Arrays.stream(columns)
                .map(c -> (Index.Element) new Index.Element.OfColumn(ColumnName.of(Objects.requireNonNull(c, "column")), false))
                .toList();
        operations.add(new CreateIndex(table, Optional.empty(), elements, false, Optional.empty(), "btree"));
        return this;
    }

    @Override
    public CreateIndexOptions createIndexOnExpressions(String... expressions) {
        List<Index.Element> elements = Arrays.stream(expressions)
                .map(e -> (Index.Element) new Index.Element.OfExpression(SqlExpression.of(Objects.requireNonNull(e, "expression")), false))
                .toList();
        operations.add(new CreateIndex(table, Optional.empty(), elements, false, Optional.empty(), "btree"));
        return this;
    }

    @Override
    public CreateIndexOptions named(String name) {
        IndexName index = IndexName.of(Objects.requireNonNull(name, "name"));
        return amend(CreateIndex.class, "named", i -> new CreateIndex(i.table(), Optional.of(index), i.elements(), i.unique(), i.where(), i.method()));
    }

    @Override
    public CreateIndexOptions unique() {
        return amend(CreateIndex.class, "unique", i -> new CreateIndex(i.table(), i.name(), i.elements(), true, i.where(), i.method()));
    }

    @Override
    public CreateIndexOptions where(String predicate) {
        SqlExpression where = SqlExpression.of(Objects.requireNonNull(predicate, "predicate"));
        return amend(CreateIndex.class, "where", i -> new CreateIndex(i.table(), i.name(), i.elements(), i.unique(), Optional.of(where), i.method()));
    }

    @Override
    public CreateIndexOptions using(String method) {
        String m = Objects.requireNonNull(method, "method").toLowerCase(java.util.Locale.ROOT);
        return amend(CreateIndex.class, "using", i -> new CreateIndex(i.table(), i.name(), i.elements(), i.unique(), i.where(), m));
    }

    private <O extends Operation> MigrationBuilder amend(Class<O> type, String option, UnaryOperator<O> change) {
        if (operations.isEmpty() || !type.isInstance(operations.get(operations.size() - 1))) {
            throw new IllegalStateException(option + "(…) refines the " + type.getSimpleName() + " just described, but the last operation is "
                    + (operations.isEmpty() ? "missing" : operations.get(operations.size() - 1).describe()));
        }
        int last = operations.size() - 1;
        operations.set(last, change.apply(type.cast(operations.get(last))));
        return this;
    }
}
