package io.zerodown.schema;

import io.zerodown.model.ColumnName;
import io.zerodown.model.IndexName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import io.zerodown.schema.Ddl.Generated;
import io.zerodown.schema.Ddl.Name;
import io.zerodown.schema.Ddl.QualifiedName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Applies parsed statements to a schema, one after the other, as the database would: names are
 * folded and chosen by the {@link SchemaConventions}, and every reference (table, column, key) is
 * checked. A statement that does not apply cleanly reports its problems and adds what it could.
 */
final class SchemaBuilder implements SchemaConventions.TakenNames {

    private final SchemaConventions conventions;
    private final Map<TableName, Table> tables = new LinkedHashMap<>();
    private final Map<TableName, Integer> createdBy = new HashMap<>();
    private final Set<String> relations = new HashSet<>();
    private final Set<String> constraints = new HashSet<>();
    private Optional<String> schemaName = Optional.empty();

    SchemaBuilder(SchemaConventions conventions) {
        this.conventions = conventions;
    }

    /** The schema built so far. */
    Schema schema() {
        return new Schema(List.copyOf(tables.values()), List.of());
    }

    @Override
    public boolean isRelation(String name) {
        return relations.contains(name);
    }

    @Override
    public boolean isConstraint(String name) {
        return constraints.contains(name);
    }

    /** Applies one statement; {@code problems} receives what is wrong with it. */
    void apply(Ddl statement, int number, Consumer<String> problems) {
        if (statement instanceof Ddl.CreateTable create) {
            createTable(create, number, problems);
        } else if (statement instanceof Ddl.CreateIndex index) {
            createIndex(index, problems);
        } else if (statement instanceof Ddl.AlterTable alter) {
            alterTable(alter, problems);
        } else {
            throw new IllegalStateException("unknown statement " + statement);
        }
    }

    // ---- CREATE TABLE ----

    private void createTable(Ddl.CreateTable ddl, int number, Consumer<String> problems) {
        TableName name = TableName.of(tableName(ddl.table(), problems));
        if (tables.containsKey(name)) {
            if (!ddl.ifNotExists()) {
                problems.accept("table \"" + name + "\" is already created by DDL statement " + createdBy.get(name)
                        + ": keep one CREATE TABLE per table");
            }
            return;
        }
        if (relations.contains(name.value())) {
            problems.accept("\"" + name + "\" is already the name of an index or sequence: rename the table or that object");
            return;
        }
        relations.add(name.value());
        createdBy.put(name, number);
        TableEditor table = new TableEditor(this, Table.of(name, List.of()));
        table.addColumns(columns(name, ddl.columns(), problems));
        for (Ddl.ColumnDef column : ddl.columns()) {
            column.generated().filter(Generated.Stored.class::isInstance).map(Generated.Stored.class::cast)
                    .ifPresent(stored -> table.checkStoredExpression(identifier(column.name()), stored.expression(), problems));
        }
        // The order PostgreSQL names things in: checks with the table, then its keys' indexes, then foreign keys.
        for (Ddl.TableConstraint constraint : ddl.constraints()) {
            if (constraint instanceof Ddl.Check check) {
                table.addCheck(check, problems);
            }
        }
        table.addKeys(ddl.constraints().stream().filter(Ddl.Key.class::isInstance).map(Ddl.Key.class::cast).toList(),
                conventions.mergesDuplicateKeys(), problems);
        for (Ddl.TableConstraint constraint : ddl.constraints()) {
            if (constraint instanceof Ddl.ForeignKey foreignKey) {
                table.addForeignKey(foreignKey, problems);
            }
        }
        tables.put(name, table.toTable());
    }

    private List<Column> columns(TableName table, List<Ddl.ColumnDef> definitions, Consumer<String> problems) {
        List<Column> columns = new ArrayList<>();
        for (Ddl.ColumnDef definition : definitions) {
            ColumnName name = ColumnName.of(identifier(definition.name()));
            String where = "column \"" + name + "\"";
            if (columns.stream().anyMatch(c -> c.name().equals(name))) {
                problems.accept(where + " is defined twice in table \"" + table + "\": keep one");
                continue;
            }
            SchemaConventions.ColumnType type;
            try {
                type = conventions.columnType(definition.type());
            } catch (IllegalArgumentException e) {
                problems.accept(where + ": " + e.getMessage());
                continue;
            }
            columns.add(column(table, name, definition, type, problems));
        }
        return columns;
    }

    private Column column(TableName table, ColumnName name, Ddl.ColumnDef definition, SchemaConventions.ColumnType type,
                          Consumer<String> problems) {
        String where = "column \"" + name + "\"";
        boolean nullable = !definition.notNull().orElse(false);
        Optional<SqlExpression> defaultValue = Optional.empty();
        Optional<Generation> generation = Optional.empty();
        Optional<Generated> generated = definition.generated();
        if (definition.defaultValue().isPresent()) {
            if (type.serial()) {
                problems.accept(where + " is " + definition.type().sql() + ", which comes with its own default: remove the DEFAULT");
            } else if (generated.isPresent()) {
                problems.accept(where + " has both a DEFAULT and a GENERATED clause: keep one");
            } else {
                defaultValue = defaultValue(where, definition.defaultValue().get(), type, problems);
            }
        }
        if (generated.isPresent() && type.serial()) {
            problems.accept(where + " is " + definition.type().sql() + " and GENERATED: keep one");
        } else if (generated.orElse(null) instanceof Generated.Identity identity) {
            relations.add(conventions.sequenceName(table, name, this));
            generation = Optional.of(new Generation.Identity(identity.always()));
        } else if (generated.orElse(null) instanceof Generated.Stored stored) {
            generation = Expressions.read(stored.expression(), "the generation expression of " + where, problems)
                    .map(Generation.Stored::new);
        }
        if (type.serial()) {
            String sequence = conventions.sequenceName(table, name, this);
            relations.add(sequence);
            defaultValue = Optional.of(conventions.serialDefault(sequence));
            generation = Optional.of(new Generation.Serial(sequence));
        }
        boolean generatesValues = type.serial() || generated.orElse(null) instanceof Generated.Identity;
        if (generatesValues) {
            if (definition.notNull().equals(Optional.of(false))) {
                problems.accept(where + " is declared NULL, but a " + (type.serial() ? "serial" : "identity")
                        + " column is always NOT NULL: remove NULL");
            }
            nullable = false;
        }
        return new Column(name, type.type(), nullable, defaultValue, generation);
    }

    private Optional<SqlExpression> defaultValue(String where, Ddl.Expr written, SchemaConventions.ColumnType type,
                                                 Consumer<String> problems) {
        Optional<SqlExpression> expression = Expressions.read(written, "the DEFAULT of " + where, problems);
        if (expression.isEmpty()) {
            return Optional.empty();
        }
        if (Expressions.readsColumns(expression.get())) {
            problems.accept("the DEFAULT of " + where + " reads a column (" + expression.get().referencedColumns()
                    + "): a default cannot depend on other columns; use a generated column or a trigger");
            return Optional.empty();
        }
        return conventions.columnDefault(expression.get(), type.type());
    }

    // ---- CREATE INDEX ----

    private void createIndex(Ddl.CreateIndex ddl, Consumer<String> problems) {
        Optional<TableEditor> found = existingTable(ddl.table(), "the index", problems);
        Optional<IndexName> explicit = ddl.name().map(n -> IndexName.of(identifier(n)));
        if (explicit.isPresent() && relations.contains(explicit.get().value())) {
            if (!ddl.ifNotExists()) {
                problems.accept("\"" + explicit.get() + "\" is already the name of a table, index or sequence: choose another index name");
            }
            return;
        }
        if (found.isEmpty()) {
            return;
        }
        TableEditor table = found.get();
        List<Index.Element> elements = new ArrayList<>();
        for (Ddl.IndexElement element : ddl.elements()) {
            if (element.column().isPresent()) {
                table.column(identifier(element.column().get()), "the index", problems)
                        .ifPresent(column -> elements.add(new Index.Element.OfColumn(column, element.descending())));
            } else {
                Optional<SqlExpression> expression = Expressions.read(element.expression().orElseThrow(), "the index expression", problems);
                expression.ifPresent(e -> {
                    Expressions.columnsRead(e, "the index expression", table.name().value(), table.columns(), problems);
                    elements.add(new Index.Element.OfExpression(e, element.descending()));
                });
            }
        }
        Optional<SqlExpression> predicate = Optional.empty();
        if (ddl.predicate().isPresent()) {
            predicate = Expressions.read(ddl.predicate().get(), "the index predicate", problems);
            predicate.ifPresent(p -> Expressions.columnsRead(p, "the index predicate", table.name().value(), table.columns(), problems));
        }
        if (elements.size() != ddl.elements().size()) {
            return;
        }
        IndexName name = explicit.orElseGet(() -> conventions.indexName(table.name(), elements, this));
        relations.add(name.value());
        String method = ddl.method().map(this::identifier).orElse("btree");
        table.addIndex(new Index(name, table.name(), elements, ddl.unique(), predicate, method, true));
        tables.put(table.name(), table.toTable());
    }

    // ---- ALTER TABLE ----

    private void alterTable(Ddl.AlterTable ddl, Consumer<String> problems) {
        Optional<TableEditor> found = existingTable(ddl.table(), "ALTER TABLE", problems);
        if (found.isEmpty()) {
            return;
        }
        TableEditor table = found.get();
        // The order PostgreSQL applies the subcommands in: keys' indexes first, then checks, then foreign keys.
        for (Ddl.TableConstraint addition : ddl.additions()) {
            if (addition instanceof Ddl.Key key) {
                table.addKeys(List.of(key), false, problems);
            }
        }
        for (Ddl.TableConstraint addition : ddl.additions()) {
            if (addition instanceof Ddl.Check check) {
                table.addCheck(check, problems);
            }
        }
        for (Ddl.TableConstraint addition : ddl.additions()) {
            if (addition instanceof Ddl.ForeignKey foreignKey) {
                table.addForeignKey(foreignKey, problems);
            }
        }
        tables.put(table.name(), table.toTable());
    }

    // ---- names ----

    SchemaConventions conventions() {
        return conventions;
    }

    /** The table of that name as built so far, or null. */
    Table table(TableName name) {
        return tables.get(name);
    }

    /** Records that a table, index or sequence now has this name. */
    void takeRelation(String name) {
        relations.add(name);
    }

    /** Records that a constraint now has this name. */
    void takeConstraint(String name) {
        constraints.add(name);
    }

    String identifier(Name name) {
        return conventions.identifier(name.text(), name.quoted());
    }

    /** The table's name; a schema, if written, must be the same throughout the DDL. */
    String tableName(QualifiedName name, Consumer<String> problems) {
        if (name.schema().isPresent()) {
            String schema = identifier(name.schema().get());
            if (schemaName.isEmpty()) {
                schemaName = Optional.of(schema);
            } else if (!schemaName.get().equals(schema)) {
                problems.accept("table " + name.written() + " is in schema \"" + schema + "\", but the DDL also uses schema \""
                        + schemaName.get() + "\": zerodown reads one schema at a time; describe only one");
            }
        }
        return identifier(name.name());
    }

    private Optional<TableEditor> existingTable(QualifiedName written, String what, Consumer<String> problems) {
        TableName name = TableName.of(tableName(written, problems));
        Table table = tables.get(name);
        if (table == null) {
            problems.accept("table \"" + name + "\" of " + what + " does not exist: create it earlier in the DDL");
            return Optional.empty();
        }
        return Optional.of(new TableEditor(this, table));
    }
}
