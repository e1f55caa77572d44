package io.zerodown.postgres;

import io.zerodown.MigrationValidationException;
import io.zerodown.Problem;
import io.zerodown.model.operation.CreateTable;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Check;
import io.zerodown.plan.Expectation;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.LockDuration;
import io.zerodown.plan.Phase;
import io.zerodown.plan.SchemaChange;
import io.zerodown.plan.Step;
import io.zerodown.plan.Strategy;
import io.zerodown.plan.TableWork;
import io.zerodown.plan.Technique;
import io.zerodown.postgres.schema.PostgresConventions;
import io.zerodown.schema.DdlSchemaParser;
import io.zerodown.spi.CompiledOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Creates a table on PostgreSQL: {@code CREATE TABLE IF NOT EXISTS} with its columns, PRIMARY KEY
 * and UNIQUE constraints, in one transaction. It locks only the new table (ACCESS EXCLUSIVE, on a
 * table nobody else can see yet), so it is the same statement whatever the downtime tolerance.
 *
 * <p>The simulated schema is what zerodown's own DDL parser, with PostgreSQL's conventions, makes
 * of the very statement the step runs: types, defaults and serial sequences come out as the
 * catalog shows them.
 */
final class PostgresCreateTable implements PgCompiler<CreateTable> {

    @Override
    public List<String> problems(CreateTable op, PgContext ctx) {
        List<String> problems = new ArrayList<>();
        Table definition = op.definition();
        checkLength(problems, "table", definition.name().value());
        for (Column column : definition.columns()) {
            checkLength(problems, "column", column.name().value());
            if (column.generation().isPresent()) {
                problems.add("column \"" + column.name() + "\": generated and identity columns are not supported by createTable; "
                        + "use a serial type (bigserial) or add the column afterwards with addColumn(…).identity()");
            }
        }
        Set<String> taken = PgTables.relationNames(ctx.schema());
        for (Constraint constraint : definition.constraints()) {
            if (constraint instanceof Constraint.ForeignKey || constraint instanceof Constraint.Check) {
                problems.add("constraint \"" + constraint.name() + "\": createTable makes PRIMARY KEY and UNIQUE constraints only; "
                        + "add foreign keys and checks afterwards (addForeignKey, addCheck), which validate without blocking writes");
                continue;
            }
            checkLength(problems, "constraint", constraint.name().value());
            if (taken.contains(constraint.name().value())) {
                problems.add("constraint \"" + constraint.name() + "\" would create an index of that name, but a relation named \""
                        + constraint.name() + "\" already exists (tables, indexes and sequences share one namespace in PostgreSQL)");
            }
        }
        if (!definition.indexes().isEmpty() || !definition.triggers().isEmpty()) {
            problems.add("createTable makes columns and keys only; create indexes afterwards with createIndex");
        }
        if (problems.isEmpty() && !definition.columns().isEmpty()) {
            try {
                Table parsed = parsed(op);
                for (Column column : parsed.columns()) {
                    column.generation().ifPresent(g -> {
                        if (g instanceof io.zerodown.model.schema.Generation.Serial serial && taken.contains(serial.sequence())) {
                            problems.add("column \"" + column.name() + "\" is serial, and its sequence would be named \""
                                    + serial.sequence() + "\", which is taken (PostgreSQL would pick another name)");
                        }
                    });
                }
            } catch (MigrationValidationException e) {
                e.problems().stream().map(Problem::message).forEach(problems::add);
            }
        }
        return problems;
    }

    private static void checkLength(List<String> problems, String kind, String name) {
        if (PgNames.tooLong(name)) {
            problems.add(kind + " name \"" + name + "\" is longer than 63 bytes; PostgreSQL would silently cut it");
        }
    }

    @Override
    public CompiledOperation compile(CreateTable op, PgContext ctx) {
        Table table = parsed(op);
        String slug = "create_" + PgContext.slug(op.table().value());
        String create = createTable(op, true);

        Step drop = Step.builder(ctx.stepId(op, slug, "undo_create"), Phase.EXPAND, Step.Kind.SCHEMA)
                .summary("Drop the table " + op.table())
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of("DROP TABLE IF EXISTS " + PgSql.quote(op.table()))))
                .lock(new LockClaim(op.table().value(), PgLock.ACCESS_EXCLUSIVE, TableWork.NONE, LockDuration.instant()))
                .estimate(Duration.ofMillis(50))
                .effect(new SchemaChange.DropTable(op.table()))
                .ifInterrupted("Nothing is changed: the step is one transaction. Run it again.")
                .build();
        Step step = Step.builder(ctx.stepId(op, slug, "create"), Phase.EXPAND, Step.Kind.SCHEMA)
                .summary("Create the table " + op.table())
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(create)))
                .lock(new LockClaim(op.table().value(), PgLock.ACCESS_EXCLUSIVE, TableWork.NONE, LockDuration.instant()))
                .estimate(Duration.ofMillis(50))
                .effect(new SchemaChange.CreateTable(table))
                .inverse(Inverse.lossy("the table " + op.table() + " is dropped with every row written into it since the up script",
                        drop))
                .ifInterrupted("Nothing is changed: the table, its keys and sequences are created in one transaction. Run the script "
                        + "again: an existing table is left alone (the verification checks it is the one described).")
                .build();

        CompiledOperation.Builder out = CompiledOperation.builder(op, new Strategy(List.of(Technique.DIRECT), List.of(
                "Create " + op.table() + ": one CREATE TABLE, whatever the downtime tolerance. It takes ACCESS EXCLUSIVE only on the "
                        + "new table, which no one else uses yet, and no lock on any other table (foreign keys are added "
                        + "separately); the statement runs under lock_timeout all the same, since it would wait for another "
                        + "session creating a table of the same name.")));
        out.step(step);
        out.preCheck(new Check("No relation is named " + op.table() + " yet (on a re-run it is the new table: expected).",
                "SELECT count(*) FROM pg_class WHERE oid = " + PgSql.toRegclass(op.table()), Expectation.count(0),
                "the name is taken, and CREATE TABLE IF NOT EXISTS would silently keep what is there: choose another name, or "
                        + "compile again from the live schema."));
        out.verify(new Check("The table " + op.table() + " exists with exactly the columns described (names, types, NOT NULL).",
                columnsQuery(op, table), Expectation.isTrue(),
                "a different table of that name was there before (CREATE TABLE IF NOT EXISTS kept it): rename one of them."));
        List<Constraint> keys = table.constraints();
        if (!keys.isEmpty()) {
            out.verify(new Check("Its keys exist: " + keys.stream().map(c -> c.name().value()).collect(Collectors.joining(", ")) + ".",
                    "SELECT count(*) FROM pg_constraint WHERE conrelid = " + PgSql.toRegclass(op.table()) + " AND contype IN ('p', 'u')\n"
                            + "  AND conname IN (" + keys.stream().map(c -> PgSql.literal(c.name().value())).collect(Collectors.joining(", "))
                            + ")",
                    Expectation.count(keys.size()), "a different table of that name was there before: rename one of them."));
        }
        out.appChange(AppChange.after(Phase.EXPAND, "Deploy code that uses " + op.table() + ".",
                "Old code does not know the table and keeps working."));
        out.appChange(AppChange.before(Phase.EXPAND, "Nothing: deploy no change before the up script.",
                "The new table is invisible to running code."));
        out.note("CREATE TABLE IF NOT EXISTS " + op.table() + " makes its columns, primary key and unique constraints in one "
                + "transaction; foreign keys are not part of createTable: add them afterwards with addForeignKey (NOT VALID, then "
                + "VALIDATE), so that the referenced tables are never blocked for a scan.");
        out.note("The down script drops " + op.table() + ": rows written into it after the up script are lost with it.");
        return out.build();
    }

    /** The table as the catalog will show it: the statement parsed with PostgreSQL's conventions. */
    static Table parsed(CreateTable op) {
        Schema schema = new DdlSchemaParser(new PostgresConventions()).parse(createTable(op, false) + ";");
        return schema.requireTable(op.table());
    }

    /** {@code CREATE TABLE [IF NOT EXISTS] "t" ("c" type [NOT NULL] [DEFAULT …], …, CONSTRAINT "k" PRIMARY KEY (…), …)}. */
    static String createTable(CreateTable op, boolean ifNotExists) {
        Table definition = op.definition();
        List<String> elements = new ArrayList<>();
        for (Column column : definition.columns()) {
            StringBuilder c = new StringBuilder(PgSql.quote(column.name())).append(' ').append(column.type().sql());
            if (!column.nullable()) {
                c.append(" NOT NULL");
            }
            column.defaultValue().ifPresent(d -> c.append(" DEFAULT ").append(d.sql()));
            elements.add(c.toString());
        }
        for (Constraint constraint : definition.constraints()) {
            String kind = constraint instanceof Constraint.PrimaryKey ? "PRIMARY KEY" : "UNIQUE";
            elements.add("CONSTRAINT " + PgSql.quote(constraint.name()) + " " + kind + " (" + PgSql.quoteAll(constraint.columns()) + ")");
        }
        return "CREATE TABLE " + (ifNotExists ? "IF NOT EXISTS " : "") + PgSql.quote(definition.name()) + " (\n  "
                + String.join(",\n  ", elements) + "\n)";
    }

    /** True when the table has exactly the described columns, with their types and nullability. */
    private static String columnsQuery(CreateTable op, Table table) {
        List<String> matches = new ArrayList<>();
        for (Column column : table.columns()) {
            matches.add("(attname = " + PgSql.literal(column.name().value()) + " AND format_type(atttypid, atttypmod) = "
                    + PgSql.literal(column.type().sql()) + " AND attnotnull = "
                    + !column.nullable() + ")");
        }
        return "SELECT count(*) = " + table.columns().size() + " AND count(*) FILTER (WHERE\n    "
                + String.join("\n    OR ", matches) + ") = " + table.columns().size()
                + "\nFROM pg_attribute WHERE attrelid = " + PgSql.toRegclass(op.table()) + " AND attnum > 0 AND NOT attisdropped";
    }
}
