package io.zerodown.postgres;

import io.zerodown.model.ColumnName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.SqlType;
import io.zerodown.model.TableName;
import io.zerodown.model.context.Durations;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.operation.AddColumn;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Table;
import io.zerodown.plan.AbortCriterion;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Check;
import io.zerodown.plan.Execution;
import io.zerodown.plan.Expectation;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.LockDuration;
import io.zerodown.plan.Monitor;
import io.zerodown.plan.Phase;
import io.zerodown.plan.RiskLevel;
import io.zerodown.plan.SchemaChange;
import io.zerodown.plan.Step;
import io.zerodown.plan.Strategy;
import io.zerodown.plan.TableWork;
import io.zerodown.plan.Technique;
import io.zerodown.postgres.schema.PostgresConventions;
import io.zerodown.schema.SchemaConventions;
import io.zerodown.spi.CompiledOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.NextValExpression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;

/**
 * Adds a column on PostgreSQL. What it costs depends on what fills the column (measured on 12 and
 * 18 with {@code relfilenode} and the {@code DEBUG1} messages {@code rewriting table} /
 * {@code verifying table}):
 * <ul>
 *   <li>nullable without default, or with a non-volatile default (a constant, {@code now()},
 *       {@code CURRENT_TIMESTAMP}: evaluated once and kept in the catalog as the value of every
 *       existing row), NOT NULL or not: one {@code ADD COLUMN}, ACCESS EXCLUSIVE for milliseconds;</li>
 *   <li>NOT NULL without default: PostgreSQL checks every row ({@code verifying table}) and fails
 *       on the first, since every existing row would be NULL; allowed only on a table profiled
 *       with 0 rows (a table created earlier in the same plan is, unless its author says
 *       otherwise), and the step refuses to run on a table that has a row;</li>
 *   <li>a volatile default ({@code clock_timestamp()}, {@code random()}, {@code gen_random_uuid()},
 *       {@code nextval()}, any function not in {@link #NON_VOLATILE}), a serial type, an identity or a
 *       stored generated column: the direct {@code ADD COLUMN} rewrites the table and its indexes
 *       under ACCESS EXCLUSIVE. Unless the downtime tolerance allows that, the online sequence is
 *       used: the column added nullable with its default set in the same short transaction (new
 *       rows get it), existing rows filled in committed keyset batches with {@code SET c = DEFAULT},
 *       then NOT NULL through the validated-constraint sequence. An identity column is switched at
 *       the end: {@code DROP DEFAULT} and {@code ADD GENERATED … AS IDENTITY (START WITH …)} in one
 *       transaction, a catalog change (no rewrite, no scan; checked) that leaves a true identity
 *       column. A stored generated column has no rewrite-free form: it is refused unless the
 *       rewrite is allowed.</li>
 * </ul>
 * The down script drops the column (a catalog change): what was written into it is lost.
 */
final class PostgresAddColumn implements PgCompiler<AddColumn> {

    /**
     * Functions known not to be volatile (immutable or stable), by name: with only these (and
     * constants, operators and casts) a default is evaluated once by {@code ADD COLUMN} and kept in
     * the catalog, without a rewrite. Any other function is treated as volatile, which is the safe
     * assumption: at worst a default that would have been instant is added by the online sequence.
     */
    static final Map<String, String> NON_VOLATILE = Map.ofEntries(
            Map.entry("now", "stable"), Map.entry("current_timestamp", "stable"), Map.entry("current_date", "stable"),
            Map.entry("current_time", "stable"), Map.entry("localtime", "stable"), Map.entry("localtimestamp", "stable"),
            Map.entry("transaction_timestamp", "stable"), Map.entry("statement_timestamp", "stable"),
            Map.entry("current_user", "stable"), Map.entry("session_user", "stable"), Map.entry("current_role", "stable"),
            Map.entry("user", "stable"), Map.entry("current_schema", "stable"), Map.entry("current_catalog", "stable"),
            Map.entry("current_database", "stable"), Map.entry("current_setting", "stable"), Map.entry("to_char", "stable"),
            Map.entry("to_date", "stable"), Map.entry("to_timestamp", "stable"), Map.entry("date_trunc", "stable"),
            Map.entry("concat", "stable"), Map.entry("concat_ws", "stable"), Map.entry("to_jsonb", "stable"),
            Map.entry("to_json", "stable"), Map.entry("jsonb_build_object", "stable"), Map.entry("json_build_object", "stable"),
            Map.entry("jsonb_build_array", "stable"), Map.entry("json_build_array", "stable"),
            Map.entry("lower", "immutable"), Map.entry("upper", "immutable"), Map.entry("length", "immutable"),
            Map.entry("substr", "immutable"), Map.entry("substring", "immutable"), Map.entry("trim", "immutable"),
            Map.entry("btrim", "immutable"), Map.entry("replace", "immutable"), Map.entry("md5", "immutable"),
            Map.entry("abs", "immutable"), Map.entry("round", "immutable"), Map.entry("trunc", "immutable"),
            Map.entry("coalesce", "immutable"), Map.entry("nullif", "immutable"), Map.entry("greatest", "immutable"),
            Map.entry("least", "immutable"), Map.entry("make_date", "immutable"), Map.entry("make_interval", "immutable"));

    /** Functions known to be volatile, named in messages (any function not in {@link #NON_VOLATILE} is treated alike). */
    static final Set<String> VOLATILE = Set.of("clock_timestamp", "random", "random_normal", "setseed", "timeofday",
            "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "uuidv4", "uuidv7", "nextval",
            "currval", "lastval", "txid_current", "pg_current_xact_id");

    /** Built-in types: a type outside this list may be a domain whose constraints make ADD COLUMN rewrite the table. */
    private static final Set<String> BUILT_IN_TYPES = Set.of("smallint", "integer", "bigint", "numeric", "real", "double precision",
            "text", "character varying", "character", "bpchar", "boolean", "date", "timestamp without time zone",
            "timestamp with time zone", "time without time zone", "time with time zone", "interval", "uuid", "json", "jsonb",
            "bytea", "inet", "cidr", "macaddr", "macaddr8", "bit", "bit varying", "money", "xml", "tsvector", "tsquery", "oid",
            "name", "pg_lsn", "int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange", "point", "line", "lseg",
            "box", "path", "polygon", "circle");

    private static final Set<String> IDENTITY_TYPES = Set.of("smallint", "integer", "bigint");

    /** What fills the new column, which decides the recipe. */
    enum Kind {
        /** Nullable, no default: existing rows read NULL. */
        PLAIN,
        /** A non-volatile default, kept in the catalog for existing rows. */
        CONSTANT_DEFAULT,
        /** NOT NULL and nothing to fill it: only on an empty table. */
        NOT_NULL_EMPTY,
        /** A default evaluated for every row (or a function zerodown does not know). */
        VOLATILE_DEFAULT,
        /** {@code serial}/{@code bigserial}/{@code smallserial}. */
        SERIAL,
        /** {@code GENERATED … AS IDENTITY}. */
        IDENTITY,
        /** {@code GENERATED ALWAYS AS (…) STORED}. */
        GENERATED
    }

    // ── problems ─────────────────────────────────────────────────────────────────────────────

    @Override
    public List<String> problems(AddColumn op, PgContext ctx) {
        List<String> problems = new ArrayList<>();
        Table table = ctx.schema().requireTable(op.table());
        Column column = op.column();
        String name = column.name().value();
        if (PgNames.tooLong(name)) {
            problems.add("column name \"" + name + "\" is longer than 63 bytes; PostgreSQL would silently cut it");
        }
        SchemaConventions.ColumnType type;
        try {
            type = new PostgresConventions().columnType(column.type());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return problems;
        }
        Optional<Generation> generation = column.generation();
        if (type.serial() && generation.isPresent()) {
            problems.add("column \"" + name + "\" has the serial type " + column.type().sql() + " and is also "
                    + (generation.get() instanceof Generation.Identity ? "an identity" : "a generated") + " column: choose one "
                    + "(an identity column takes an integer type: bigint)");
        }
        if ((type.serial() || generation.isPresent()) && column.defaultValue().isPresent()) {
            problems.add("column \"" + name + "\" is " + (type.serial() ? "serial" : generation.get() instanceof Generation.Identity
                    ? "an identity column" : "a generated column") + ", whose values come from "
                    + (generation.orElse(null) instanceof Generation.Stored ? "its expression" : "a sequence")
                    + ": it cannot also have a default (remove defaultValue(…))");
        }
        if (generation.orElse(null) instanceof Generation.Identity && !IDENTITY_TYPES.contains(type.type().name())
                || generation.orElse(null) instanceof Generation.Identity && type.type().arrayDimensions() > 0) {
            problems.add("column \"" + name + "\" is an identity column of type " + type.type().sql()
                    + "; PostgreSQL allows identity only on smallint, integer or bigint");
        }
        column.defaultValue().ifPresent(d -> {
            if (functions(d).contains("(subquery)")) {
                problems.add("the default of column \"" + name + "\" contains a subquery, which PostgreSQL does not allow in a "
                        + "default; add the column and fill it with backfill(…).with(…)");
            }
            Set<String> read = readColumns(d);
            if (!read.isEmpty()) {
                problems.add("the default of column \"" + name + "\" reads the column(s) " + String.join(", ", read)
                        + ": a default cannot refer to columns (use generatedAs(…), or add the column and fill it with "
                        + "backfill(…).with(…))");
            }
        });
        if (generation.orElse(null) instanceof Generation.Stored stored) {
            Optional<String> bad = stored.expression().problem();
            if (bad.isPresent()) {
                problems.add("the expression of generated column \"" + name + "\": " + bad.get());
            } else {
                Set<String> missing = new LinkedHashSet<>(readColumns(stored.expression()));
                table.columns().forEach(c -> missing.remove(c.name().value()));
                if (!missing.isEmpty()) {
                    problems.add("the expression of generated column \"" + name + "\" reads " + String.join(", ", missing)
                            + ", which table \"" + op.table() + "\" does not have");
                }
                List<String> volatileFunctions = functions(stored.expression()).stream().filter(VOLATILE::contains).toList();
                if (!volatileFunctions.isEmpty()) {
                    problems.add("the expression of generated column \"" + name + "\" calls " + String.join(", ", volatileFunctions)
                            + ", which is volatile; PostgreSQL requires a generation expression to be immutable");
                }
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        Column normal = normalised(op, ctx);
        Kind kind = kind(normal, type.serial(), op);
        TableProfile profile = ctx.profile(op.table());
        switch (kind) {
            case NOT_NULL_EMPTY -> {
                if (!ctx.migration().hasProfile(op.table()) || profile.approximateRows() > 0) {
                    problems.add("column \"" + name + "\" is NOT NULL without a default, so every existing row of \"" + op.table()
                            + "\" would violate it (PostgreSQL checks every row and fails). Give it a default "
                            + "(notNull().defaultValue(…): instant for a constant), or add it nullable, fill it "
                            + "(backfill(…).with(…)) and then setNotNull(…). Only on an empty table is this possible: profile \""
                            + op.table() + "\" with 0 rows if it is empty (a table the plan creates counts as empty)");
                }
            }
            case GENERATED -> {
                PgContext.Approach approach = directApproach(op, ctx, kind);
                if (!approach.direct()) {
                    problems.add("column \"" + name + "\" is a stored generated column: adding one rewrites \"" + op.table()
                            + "\" under ACCESS EXCLUSIVE (reads and writes blocked for about "
                            + Durations.human(rewrite(ctx, op.table())) + "), and PostgreSQL has no way to turn a filled column "
                            + "into a generated one without that rewrite. Either allow it (a maintenance window that fits, or a "
                            + "development database), or add a plain column and fill it with backfill(\"" + name
                            + "\").with(\"<expression>\"): batches, with a trigger computing it on writes until that operation's "
                            + "contract phase, after which the application writes it"
                            + (ctx.facts().has(PgFeature.VIRTUAL_GENERATED_COLUMN)
                            ? " (on PostgreSQL 18 a VIRTUAL generated column adds without a rewrite, computed on read, but zerodown "
                            + "does not model virtual columns)" : ""));
                }
            }
            case VOLATILE_DEFAULT, SERIAL, IDENTITY -> {
                if (!directApproach(op, ctx, kind).direct() && table.primaryKey().isEmpty()) {
                    problems.add("table \"" + op.table() + "\" has no primary key, which the batched fill of column \"" + name
                            + "\" walks (" + why(kind, normal) + "). Add a primary key first (a unique index built concurrently, "
                            + "then addPrimaryKey), or allow the rewrite (a maintenance window or a development database)");
                }
            }
            default -> {
            }
        }
        if (kind == Kind.SERIAL || kind == Kind.IDENTITY) {
            String sequence = sequenceName(op, ctx, kind);
            if (PgTables.relationNames(ctx.schema()).contains(sequence)) {
                problems.add("column \"" + name + "\" needs a sequence named \"" + sequence + "\", and a relation of that name "
                        + "exists (tables, indexes and sequences share one namespace)");
            }
        }
        return problems;
    }

    // ── compile ──────────────────────────────────────────────────────────────────────────────

    @Override
    public CompiledOperation compile(AddColumn op, PgContext ctx) {
        Table table = ctx.schema().requireTable(op.table());
        SchemaConventions.ColumnType type = new PostgresConventions().columnType(op.column().type());
        Column column = normalised(op, ctx);
        Kind kind = kind(column, type.serial(), op);
        String slug = "add_" + PgContext.slug(op.column().name().value());
        Recipe recipe = new Recipe(op, ctx, table, column, kind, slug);
        return switch (kind) {
            case PLAIN, CONSTANT_DEFAULT, NOT_NULL_EMPTY -> recipe.instant();
            case VOLATILE_DEFAULT, SERIAL, IDENTITY, GENERATED -> {
                PgContext.Approach approach = directApproach(op, ctx, kind);
                yield approach.direct() ? recipe.rewrite(approach) : recipe.online(approach);
            }
        };
    }

    /** The column as the catalog will show it once the up script is done: type spelled as format_type does, defaults as pg_get_expr. */
    static Column normalised(AddColumn op, PgContext ctx) {
        PostgresConventions conventions = new PostgresConventions();
        Column written = op.column();
        SchemaConventions.ColumnType type = conventions.columnType(written.type());
        Optional<SqlExpression> def = written.defaultValue().flatMap(d -> conventions.columnDefault(d, type.type()));
        Column column = new Column(written.name(), type.type(), written.nullable(), def, written.generation());
        if (type.serial()) {
            String sequence = sequenceName(op, ctx, Kind.SERIAL);
            column = new Column(written.name(), type.type(), false, Optional.of(conventions.serialDefault(sequence)),
                    Optional.of(new Generation.Serial(sequence)));
        } else if (written.generation().orElse(null) instanceof Generation.Identity) {
            column = column.withNullable(false).withDefault(Optional.empty());
        }
        return column;
    }

    static Kind kind(Column column, boolean serial, AddColumn op) {
        if (serial) {
            return Kind.SERIAL;
        }
        Generation generation = column.generation().orElse(null);
        if (generation instanceof Generation.Identity) {
            return Kind.IDENTITY;
        }
        if (generation instanceof Generation.Stored) {
            return Kind.GENERATED;
        }
        if (column.defaultValue().isEmpty()) {
            return column.nullable() ? Kind.PLAIN : Kind.NOT_NULL_EMPTY;
        }
        return unknownFunctions(op.column().defaultValue().orElseThrow()).isEmpty() ? Kind.CONSTANT_DEFAULT : Kind.VOLATILE_DEFAULT;
    }

    /**
     * The sequence the column takes its values from during the online sequence: for a serial
     * column the name PostgreSQL would give it ({@code <table>_<column>_seq}, numbered when taken),
     * which it keeps; for an identity column a temporary {@code <table>_<column>_zd_seq}, dropped
     * when the identity (and its own sequence) takes over.
     */
    static String sequenceName(AddColumn op, PgContext ctx, Kind kind) {
        if (kind == Kind.IDENTITY) {
            return PgNames.derived(op.table().value(), op.column().name().value(), "zd_seq");
        }
        Set<String> relations = PgTables.relationNames(ctx.schema());
        Set<String> constraints = ctx.schema().tables().stream().flatMap(t -> t.constraints().stream())
                .map(c -> c.name().value()).collect(Collectors.toSet());
        return new PostgresConventions().sequenceName(op.table(), op.column().name(), new SchemaConventions.TakenNames() {
            @Override
            public boolean isRelation(String name) {
                return relations.contains(name);
            }

            @Override
            public boolean isConstraint(String name) {
                return constraints.contains(name);
            }
        });
    }

    private static Duration rewrite(PgContext ctx, TableName table) {
        return PostgresFacts.forRows(ctx.profile(table).approximateRows(), PostgresFacts.REWRITE_ROWS_PER_SECOND);
    }

    /** Direct (one rewriting ADD COLUMN) or online, by the downtime tolerance. */
    static PgContext.Approach directApproach(AddColumn op, PgContext ctx, Kind kind) {
        return ctx.choose("ADD COLUMN " + op.column().name() + " " + what(kind) + ", which rewrites the table and its indexes",
                "reads and writes of " + op.table(), rewrite(ctx, op.table()));
    }

    private static String what(Kind kind) {
        return switch (kind) {
            case SERIAL -> "as a serial column";
            case IDENTITY -> "as an identity column";
            case GENERATED -> "as a stored generated column";
            default -> "with a volatile default";
        };
    }

    private static String why(Kind kind, Column column) {
        return switch (kind) {
            case SERIAL, IDENTITY -> "a number from the sequence is written into every existing row";
            default -> "its default " + column.defaultValue().map(SqlExpression::source).orElse("") + " is evaluated for every "
                    + "existing row";
        };
    }

    // ── expression analysis ──────────────────────────────────────────────────────────────────

    /** The functions an expression calls (lower case, without schema), or {@code ["?"]} when it cannot be read. */
    static List<String> functions(SqlExpression expression) {
        List<String> names = new ArrayList<>();
        try {
            CCJSqlParserUtil.parseExpression(expression.source(), false).accept(new ExpressionVisitorAdapter<Void>() {
                @Override
                public <S> Void visit(Function function, S context) {
                    String name = function.getName().toLowerCase(Locale.ROOT).replace("\"", "");
                    names.add(name.substring(name.lastIndexOf('.') + 1));
                    return super.visit(function, context);
                }

                @Override
                public <S> Void visit(NextValExpression expression, S context) {
                    names.add("nextval");
                    return null;
                }

                @Override
                public <S> Void visit(ParenthesedSelect select, S context) {
                    names.add("(subquery)");
                    return null;
                }

                @Override
                public <S> Void visit(net.sf.jsqlparser.statement.select.Select select, S context) {
                    names.add("(subquery)");
                    return null;
                }
            }, null);
        } catch (JSQLParserException | RuntimeException e) {
            names.add("?");
        }
        return names;
    }

    /** The functions of a default that are not known to be non-volatile: empty when the default is evaluated once. */
    static List<String> unknownFunctions(SqlExpression expression) {
        return functions(expression).stream().filter(f -> !NON_VOLATILE.containsKey(f)).distinct().toList();
    }

    /** The columns an expression reads (SQL's niladic functions and boolean words are not columns). */
    private static Set<String> readColumns(SqlExpression expression) {
        if (expression.problem().isPresent()) {
            return Set.of();
        }
        Set<String> read = new LinkedHashSet<>(expression.referencedColumns());
        read.removeAll(Set.of("true", "false", "null", "default"));
        return read;
    }

    // ── the recipes ──────────────────────────────────────────────────────────────────────────

    /** Everything one compilation needs, and the steps of each recipe. */
    private record Recipe(AddColumn op, PgContext ctx, Table table, Column column, Kind kind, String slug) {

        TableName t() {
            return op.table();
        }

        ColumnName c() {
            return column.name();
        }

        String tq() {
            return PgSql.quote(op.table());
        }

        String cq() {
            return PgSql.quote(column.name());
        }

        long rows() {
            return ctx.profile(op.table()).approximateRows();
        }

        String sequence() {
            return sequenceName(op, ctx, kind);
        }

        String sequenceRegclass() {
            return PgSql.literal(PgSql.quote(sequence())) + "::regclass";
        }

        /** {@code EXISTS (…)}: the column exists on the table. */
        String columnExists() {
            return "EXISTS (SELECT FROM pg_attribute WHERE attrelid = " + PgSql.regclass(t()) + " AND attname = "
                    + PgSql.literal(c().value()) + " AND NOT attisdropped)";
        }

        /** {@code "c" type [NOT NULL] [DEFAULT …] [GENERATED …]}: the column as the direct ADD COLUMN defines it. */
        String definition() {
            StringBuilder d = new StringBuilder(cq()).append(' ');
            if (kind == Kind.SERIAL) {
                d.append(serialTypeName());
                return d.toString();
            }
            d.append(column.type().sql());
            Generation generation = column.generation().orElse(null);
            if (generation instanceof Generation.Identity identity) {
                return d.append(" GENERATED ").append(identity.always() ? "ALWAYS" : "BY DEFAULT").append(" AS IDENTITY").toString();
            }
            if (generation instanceof Generation.Stored stored) {
                d.append(" GENERATED ALWAYS AS (").append(stored.expression().sql()).append(") STORED");
            }
            if (!column.nullable()) {
                d.append(" NOT NULL");
            }
            op.column().defaultValue().filter(x -> column.defaultValue().isPresent()).ifPresent(x -> d.append(" DEFAULT ").append(x.sql()));
            return d.toString();
        }

        String serialTypeName() {
            return switch (column.type().name()) {
                case "smallint" -> "smallserial";
                case "integer" -> "serial";
                default -> "bigserial";
            };
        }

        /** The default as written by the author (parsed and re-printed), or the sequence's nextval. */
        String defaultSql() {
            if (kind == Kind.SERIAL || kind == Kind.IDENTITY) {
                return "nextval(" + sequenceRegclass() + ")";
            }
            return op.column().defaultValue().orElseThrow().sql();
        }

        Step dropColumn(String part) {
            List<String> sql = new ArrayList<>(List.of("ALTER TABLE " + tq() + " DROP COLUMN IF EXISTS " + cq()));
            if (kind == Kind.SERIAL || kind == Kind.IDENTITY) {
                sql.add("DROP SEQUENCE IF EXISTS " + PgSql.quote(sequence()));
            }
            return Step.builder(ctx.stepId(op, slug, part), Phase.EXPAND, Step.Kind.SCHEMA)
                    .summary("Drop the column " + t() + "." + c() + (kind == Kind.SERIAL || kind == Kind.IDENTITY
                            ? " and its sequence" : ""))
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), sql))
                    .lock(PgConstraintSteps.instant(t(), PgLock.ACCESS_EXCLUSIVE))
                    .estimate(Duration.ofMillis(20))
                    .effect(new SchemaChange.DropColumn(t(), c()))
                    .ifInterrupted("Nothing is changed: the step is one short transaction, retried on lock timeout. Run it again.")
                    .build();
        }

        String dataLoss() {
            return "the column " + c() + " is dropped with every value written into it since the up script"
                    + (kind == Kind.SERIAL || kind == Kind.IDENTITY ? " (and its sequence, so numbers restart if it is added again)" : "")
                    + "; its space is reclaimed as rows are next rewritten.";
        }

        // ── instant: one ADD COLUMN that changes only the catalog ──

        CompiledOperation instant() {
            List<String> statements = new ArrayList<>();
            String add = "ALTER TABLE " + tq() + " ADD COLUMN " + definition();
            if (kind == Kind.NOT_NULL_EMPTY) {
                statements.add(PgConstraintSteps.ifThen("NOT " + columnExists(),
                        PgConstraintSteps.ifThen("EXISTS (SELECT FROM " + tq() + ")",
                                "RAISE EXCEPTION 'zerodown: table % has rows, so the NOT NULL column % without default cannot be "
                                        + "added', " + PgSql.literal(t().value()) + ", " + PgSql.literal(c().value()) + "\n"
                                        + "  USING HINT = 'Give the column a default, or add it nullable, fill it and set it NOT NULL.'"),
                        add));
            } else {
                statements.add(PgConstraintSteps.ifThen("NOT " + columnExists(), add));
            }
            Step step = Step.builder(ctx.stepId(op, slug, "add"), Phase.EXPAND, Step.Kind.SCHEMA)
                    .summary("Add the column " + t() + "." + c() + " " + column.type().sql() + switch (kind) {
                        case CONSTANT_DEFAULT -> " with its default kept in the catalog (no row is written)";
                        case NOT_NULL_EMPTY -> " NOT NULL (the table is empty: checked first)";
                        default -> " (no row is written)";
                    })
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), statements))
                    .lock(PgConstraintSteps.instant(t(), PgLock.ACCESS_EXCLUSIVE))
                    .estimate(Duration.ofMillis(20))
                    .effect(new SchemaChange.AddColumn(t(), column))
                    .inverse(Inverse.lossy(dataLoss(), dropColumn("undo_add")))
                    .ifInterrupted("Nothing is changed: the column is added in one short transaction, retried on lock timeout. "
                            + "Run the script again.")
                    .build();
            List<String> reasons = new ArrayList<>();
            reasons.add(switch (kind) {
                case CONSTANT_DEFAULT -> "The default " + op.column().defaultValue().orElseThrow().sql() + " is not volatile"
                        + " (only constants, operators, casts and functions known to be immutable or stable): since PostgreSQL 11, "
                        + "ADD COLUMN evaluates it once and keeps the value in the catalog for every existing row, so no row is "
                        + "written" + (column.nullable() ? "" : " and NOT NULL needs no check") + ": ACCESS EXCLUSIVE for "
                        + "milliseconds, checked on 12 and 18 (relfilenode unchanged).";
                case NOT_NULL_EMPTY -> "The table is profiled empty: ADD COLUMN … NOT NULL checks its rows (none), so it is "
                        + "instant. The step stops with an error if the table has a row after all.";
                default -> "A nullable column without default: ADD COLUMN changes only the catalog (existing rows read NULL), "
                        + "under ACCESS EXCLUSIVE for milliseconds.";
            });
            reasons.add("The statement runs under lock_timeout with retries, so it never queues reads and writes behind it for "
                    + "longer than the timeout.");
            CompiledOperation.Builder out = CompiledOperation.builder(op, new Strategy(List.of(Technique.DIRECT), reasons));
            out.step(step);
            commonChecks(out);
            if (kind == Kind.CONSTANT_DEFAULT && isTimeDefault()) {
                out.note("The default " + op.column().defaultValue().orElseThrow().sql() + " is evaluated once, by ADD COLUMN: "
                        + "every existing row reads the time of the up script, and new rows the time of their insert.");
            }
            appChanges(out, false);
            out.note("Undoing this (the down script) drops " + c() + ": " + dataLoss());
            return out.build();
        }

        boolean isTimeDefault() {
            return functions(op.column().defaultValue().orElseThrow()).stream().anyMatch(f -> f.contains("time") || f.equals("now")
                    || f.startsWith("current_") || f.startsWith("local"));
        }

        // ── direct with rewrite ──

        CompiledOperation rewrite(PgContext.Approach approach) {
            Duration rewrite = PostgresFacts.forRows(rows(), PostgresFacts.REWRITE_ROWS_PER_SECOND);
            Step step = Step.builder(ctx.stepId(op, slug, "add"), Phase.EXPAND, Step.Kind.SCHEMA)
                    .summary("Add the column " + t() + "." + c() + " " + what(kind) + ", rewriting the table while reads and writes "
                            + "are blocked")
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(PgConstraintSteps.ifThen("NOT " + columnExists(),
                            "ALTER TABLE " + tq() + " ADD COLUMN " + definition()))))
                    .lock(new LockClaim(t().value(), PgLock.ACCESS_EXCLUSIVE, TableWork.REWRITE,
                            new LockDuration.ProportionalToRows(rows(), rewrite)))
                    .estimate(rewrite)
                    .effect(new SchemaChange.AddColumn(t(), column))
                    .inverse(Inverse.lossy(dataLoss(), dropColumn("undo_add")))
                    .ifInterrupted("Nothing is changed: the rewrite runs in one transaction, which rolls back whole (its new "
                            + "files are removed). Run the script again.")
                    .build();
            List<Technique> techniques = new ArrayList<>(List.of(Technique.DIRECT));
            if (ctx.migration().downtime() instanceof io.zerodown.model.context.DowntimeTolerance.MaintenanceWindow) {
                techniques.add(Technique.MAINTENANCE_WINDOW);
            }
            CompiledOperation.Builder out = CompiledOperation.builder(op, new Strategy(techniques, List.of(
                    rewriteReason(),
                    "Chosen because " + approach.reason())));
            out.step(step);
            commonChecks(out);
            boolean dev = ctx.migration().downtime() instanceof io.zerodown.model.context.DowntimeTolerance.DevOnly;
            out.hazard(new Hazard(dev ? RiskLevel.LOW : RiskLevel.MEDIUM, "ADD COLUMN rewrites " + t(),
                    "ADD COLUMN " + c() + " " + what(kind) + " writes the whole table and its indexes anew while holding ACCESS "
                            + "EXCLUSIVE: reads and writes of " + t() + " wait for about " + Durations.human(rewrite)
                            + "; it needs disk for a second copy and WAL the size of the table (replication lag).",
                    (dev ? "Acceptable on a development database. For production, compile with its downtime tolerance: "
                            : "Run it in the maintenance window, with the application stopped or read-only. Without a window, ")
                            + (kind == Kind.GENERATED ? "a stored generated column is refused (it cannot be added without a "
                            + "rewrite); a plain column filled by backfill(…).with(…) is the alternative."
                            : "zerodown uses the online sequence instead (nullable column, batched fill, online NOT NULL).")));
            appChanges(out, false);
            out.note("Undoing this (the down script) drops " + c() + ": " + dataLoss());
            return out.build();
        }

        String rewriteReason() {
            return switch (kind) {
                case SERIAL -> "A serial column writes a number from its sequence into every existing row: the direct ADD COLUMN "
                        + "rewrites the table (measured: relfilenode changes, DEBUG1 'rewriting table').";
                case IDENTITY -> "An identity column writes a number into every existing row: the direct ADD COLUMN rewrites "
                        + "the table (measured: relfilenode changes).";
                case GENERATED -> "A stored generated column computes its expression for every existing row: the direct ADD "
                        + "COLUMN rewrites the table (measured: relfilenode changes). PostgreSQL has no rewrite-free way to get a "
                        + "stored generated column on a table with rows.";
                default -> "The default " + op.column().defaultValue().orElseThrow().sql() + " is volatile"
                        + volatileDetail() + ": ADD COLUMN evaluates it for every existing row and rewrites the table "
                        + "(measured: relfilenode changes).";
            };
        }

        String volatileDetail() {
            List<String> functions = unknownFunctions(op.column().defaultValue().orElseThrow());
            List<String> unknown = functions.stream().filter(f -> !VOLATILE.contains(f)).toList();
            if (unknown.isEmpty()) {
                return " (" + String.join(", ", functions) + ")";
            }
            return " or not known to be otherwise (" + String.join(", ", unknown) + " is not in zerodown's list of non-volatile "
                    + "functions, so it is treated as volatile)";
        }

        // ── online: nullable column with its default, batched fill, NOT NULL online, identity switch ──

        CompiledOperation online(PgContext.Approach approach) {
            boolean sequence = kind == Kind.SERIAL || kind == Kind.IDENTITY;
            Column expanded = column.withNullable(true);
            if (kind == Kind.IDENTITY) {
                expanded = expanded.withDefault(Optional.of(new PostgresConventions().serialDefault(sequence())))
                        .withGeneration(Optional.of(new Generation.Serial(sequence())));
            }
            List<String> expandSql = new ArrayList<>();
            expandSql.add("ALTER TABLE " + tq() + " ADD COLUMN " + cq() + " " + column.type().sql());
            if (sequence) {
                expandSql.add("CREATE SEQUENCE " + PgSql.quote(sequence()) + " AS " + column.type().sql() + " OWNED BY " + tq() + "." + cq());
            }
            expandSql.add("ALTER TABLE " + tq() + " ALTER COLUMN " + cq() + " SET DEFAULT " + defaultSql());
            Step expand = Step.builder(ctx.stepId(op, slug, "add"), Phase.EXPAND, Step.Kind.SCHEMA)
                    .summary("Add the column " + t() + "." + c() + " nullable" + (sequence ? ", its sequence " + sequence() : "")
                            + " and its default for new rows (no row is written)")
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(PgConstraintSteps.ifThen("NOT " + columnExists(),
                            expandSql.toArray(String[]::new)))))
                    .lock(PgConstraintSteps.instant(t(), PgLock.ACCESS_EXCLUSIVE))
                    .estimate(Duration.ofMillis(20))
                    .effect(new SchemaChange.AddColumn(t(), expanded))
                    .inverse(Inverse.lossy(dataLoss(), dropColumn("undo_add")))
                    .ifInterrupted("Nothing is changed: the column" + (sequence ? ", its sequence" : "") + " and its default are "
                            + "added in one short transaction, retried on lock timeout. Run the script again.")
                    .build();

            List<Column> key = keyColumns();
            PgKeysetBackfill fill = new PgKeysetBackfill(ctx.migration().name(), ctx.stepId(op, slug, "backfill"), t(), key,
                    cq() + " = DEFAULT", PgKeysetBackfill.ROW + "." + cq() + " IS NULL", op.batching(), ctx.lockPolicy());
            Duration perBatch = PostgresFacts.forRows(op.batching().size(), PostgresFacts.BACKFILL_ROWS_PER_SECOND);
            long batches = Math.max(1, (rows() + op.batching().size() - 1) / op.batching().size());
            Duration total = PostgresFacts.forRows(rows(), PostgresFacts.BACKFILL_ROWS_PER_SECOND)
                    .plus(op.batching().pause().multipliedBy(batches));
            Step forget = Step.builder(ctx.stepId(op, slug, "undo_backfill"), Phase.BACKFILL, Step.Kind.SCHEMA)
                    .summary("Forget the fill's progress, so that a new up script fills the column again")
                    .statement(fill.forgetProgress())
                    .build();
            Step backfill = Step.builder(ctx.stepId(op, slug, "backfill"), Phase.BACKFILL, Step.Kind.BACKFILL)
                    .summary("Fill " + c() + " of the existing rows with its default (" + defaultSql() + ") in batches of "
                            + String.format("%,d", op.batching().size()))
                    .execution(Execution.OUTSIDE_TRANSACTION)
                    .statements(fill.statements())
                    .lock(new LockClaim(t().value(), PgLock.ROW_EXCLUSIVE, TableWork.BATCH_UPDATE,
                            new LockDuration.PerBatch(op.batching().size(), perBatch)))
                    .estimate(total)
                    .inverse(Inverse.steps(forget))
                    .ifInterrupted("Batches committed so far stay filled; rows inserted meanwhile get the default; running the step "
                            + "again resumes after the last committed batch (see " + PgKeysetBackfill.PROGRESS_TABLE + ").")
                    .build();

            CompiledOperation.Builder out = CompiledOperation.builder(op, onlineStrategy(approach));
            out.step(expand).step(backfill);
            if (!column.nullable()) {
                Table withColumn = table.withColumns(concat(table.columns().stream().filter(x -> !x.name().equals(c())).toList(), expanded));
                // The down script drops the column, which takes its NOT NULL (and any leftover check) with it:
                // the NOT NULL steps need no undo of their own (DROP NOT NULL would fail on an identity column).
                PgConstraintSteps.notNullOnline(ctx, op, slug, "", Phase.BUILD, withColumn, expanded).stream()
                        .map(s -> withInverse(s, Inverse.nothing())).forEach(out::step);
            }
            if (kind == Kind.IDENTITY) {
                out.step(identitySwitch());
            }
            commonChecks(out);
            out.verify(new Check("The fill of " + c() + " finished.", fill.finishedQuery(), Expectation.count(1),
                    "run the up script again: the fill resumes after its last committed batch."));
            if (!column.nullable()) {
                out.verify(new Check("No row of " + t() + " has " + c() + " NULL.", PgConstraintSteps.nullRows(t(), c()),
                        Expectation.count(0), "run the up script again: the fill resumes and fills them."));
            }
            out.monitor(Monitor.query("Fill progress of " + t() + "." + c(), fill.progressQuery(),
                    "rows_per_second falling, or updated_at no longer moving while the step runs (it is waiting on locks)"));
            out.abortWhen(new AbortCriterion("replication lag or application latency rises beyond your limit during the fill",
                    "cancel the fill (pg_cancel_backend on its pid); committed batches stay done. Run it again later with a smaller "
                            + "batch (batched(…)): it resumes where it stopped"));
            out.hazard(new Hazard(RiskLevel.LOW, "Existing rows read NULL in " + c() + " until the fill is done",
                    "Between the expand step and the end of the fill, rows that existed before read NULL in " + c()
                            + "; new rows get the default at once.",
                    "Deploy code that relies on " + c() + " being filled only after the "
                            + (column.nullable() ? "backfill" : "build") + " phase."));
            if (kind == Kind.VOLATILE_DEFAULT) {
                out.note("Each existing row gets its own evaluation of " + defaultSql() + " at the time of its batch, as the direct "
                        + "ADD COLUMN would have given each row its own value at the time of the rewrite.");
                if (volatileDetail().contains("treated as volatile")) {
                    out.note("zerodown treats " + String.join(", ", unknownFunctions(op.column().defaultValue().orElseThrow()).stream()
                            .filter(f -> !VOLATILE.contains(f)).toList()) + " as volatile because it does not know it (its list of "
                            + "non-volatile functions is short on purpose). If it is in fact IMMUTABLE or STABLE, ADD COLUMN with "
                            + "the default is instant: check pg_proc.provolatile and, if so, the batched fill can be skipped by "
                            + "allowing downtime (it then compiles to the direct statement).");
                }
            }
            if (sequence) {
                out.note("Existing rows are numbered in primary-key order by the fill, while rows inserted meanwhile take numbers "
                        + "from the same sequence: numbers are unique but not in insertion order.");
            }
            if (kind == Kind.IDENTITY) {
                out.note("The last step makes " + c() + " a true identity column (pg_attribute.attidentity set): DROP DEFAULT and "
                        + "ADD GENERATED " + (identityAlways() ? "ALWAYS" : "BY DEFAULT") + " AS IDENTITY (START WITH the temporary "
                        + "sequence's next value) in one transaction, then the temporary sequence " + sequence() + " is dropped. "
                        + "Checked on 12 and 18: no rewrite and no scan (relfilenode unchanged, no 'verifying table'). The "
                        + "temporary sequence must not outlive the switch: while a column owns two sequences, inserts fail with "
                        + "'more than one owned sequence found'.");
            }
            appChanges(out, true);
            out.note("Undoing this (the down script) drops " + c() + ": " + dataLoss());
            return out.build();
        }

        boolean identityAlways() {
            return column.generation().orElse(null) instanceof Generation.Identity identity && identity.always();
        }

        Step identitySwitch() {
            String seq = PgSql.quote(sequence());
            String identity = "EXECUTE 'ALTER TABLE ' || " + PgSql.literal(tq()) + " || ' ALTER COLUMN ' || " + PgSql.literal(cq())
                    + " || ' ADD GENERATED " + (identityAlways() ? "ALWAYS" : "BY DEFAULT") + " AS IDENTITY (START WITH ' || nextval("
                    + sequenceRegclass() + ") || ')'";
            String isIdentity = "EXISTS (SELECT FROM pg_attribute WHERE attrelid = " + PgSql.regclass(t()) + " AND attname = "
                    + PgSql.literal(c().value()) + " AND attidentity <> '')";
            return Step.builder(ctx.stepId(op, slug, "identity"), Phase.BUILD, Step.Kind.SCHEMA)
                    .summary("Make " + t() + "." + c() + " an identity column continuing its numbers, and drop the temporary "
                            + "sequence " + sequence())
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(PgConstraintSteps.ifThen("NOT " + isIdentity,
                            "ALTER TABLE " + tq() + " ALTER COLUMN " + cq() + " DROP DEFAULT",
                            identity,
                            "DROP SEQUENCE " + seq))))
                    .lock(PgConstraintSteps.instant(t(), PgLock.ACCESS_EXCLUSIVE))
                    .estimate(Duration.ofMillis(20))
                    .effect(new SchemaChange.AlterColumn(t(), column))
                    .inverse(Inverse.nothing())
                    .ifInterrupted("Nothing is changed: the switch is one short transaction, retried on lock timeout. Run the "
                            + "script again.")
                    .build();
        }

        Strategy onlineStrategy(PgContext.Approach approach) {
            List<Technique> techniques = new ArrayList<>(List.of(Technique.EXPAND_CONTRACT, Technique.BATCHED_DML));
            if (!column.nullable()) {
                techniques.add(Technique.NOT_VALID_THEN_VALIDATE);
            }
            List<String> reasons = new ArrayList<>();
            reasons.add(rewriteReason());
            reasons.add("Instead: the column is added nullable with its default for new rows (" + defaultSql() + ") in one "
                    + "catalog change; existing rows are filled with SET " + c() + " = DEFAULT in committed keyset batches, each "
                    + "holding row locks on its own rows only and resumable after an interruption"
                    + (column.nullable() ? "." : "; then NOT NULL is added " + (ctx.facts().has(PgFeature.NOT_NULL_NOT_VALID)
                    ? "NOT VALID and validated (PostgreSQL 18)" : "through a CHECK (… IS NOT NULL) NOT VALID, validated, then "
                    + "SET NOT NULL without a scan") + ", so ACCESS EXCLUSIVE is only held for milliseconds."));
            if (kind == Kind.SERIAL) {
                reasons.add("The sequence is created owned by the column and named as PostgreSQL names a serial's (" + sequence()
                        + "): the result is the serial column the direct statement would make.");
            }
            if (kind == Kind.IDENTITY) {
                reasons.add("A temporary sequence numbers the rows until the end, when the column becomes a true identity "
                        + "column continuing from it (a catalog change, checked on 12 and 18).");
            }
            reasons.add("Chosen because " + approach.reason());
            return new Strategy(techniques, reasons);
        }

        List<Column> keyColumns() {
            Constraint.PrimaryKey pk = table.primaryKey().orElseThrow();
            return pk.columns().stream().map(k -> table.column(k).orElseThrow()).toList();
        }

        // ── checks, app changes ──

        void commonChecks(CompiledOperation.Builder out) {
            List<String> called = op.column().defaultValue().map(PostgresAddColumn::unknownFunctions).orElse(List.of()).stream()
                    .filter(f -> !f.equals("?") && !f.equals("(subquery)")).toList();
            if (!called.isEmpty()) {
                boolean uuid = called.contains("gen_random_uuid") && !ctx.facts().has(PgFeature.GEN_RANDOM_UUID_BUILT_IN);
                out.preCheck(new Check("The function" + (called.size() == 1 ? " " : "s ") + String.join(", ", called)
                        + " of the default exist" + (called.size() == 1 ? "s" : "") + ".",
                        "SELECT count(DISTINCT proname) FROM pg_proc WHERE proname IN ("
                                + called.stream().map(PgSql::literal).collect(Collectors.joining(", ")) + ")",
                        Expectation.count(called.size()),
                        uuid ? "gen_random_uuid() is built in from PostgreSQL 13; on 12 it comes with the pgcrypto extension: "
                                + "CREATE EXTENSION pgcrypto first." : "create the missing function (or its extension) first."));
            }
            out.preCheck(new Check("The column " + t() + "." + c() + " does not exist yet (on a re-run it does: expected).",
                    "SELECT count(*) FROM pg_attribute WHERE attrelid = " + PgSql.regclass(t()) + " AND attname = "
                            + PgSql.literal(c().value()) + " AND NOT attisdropped",
                    Expectation.count(0), "a column of that name exists: the up script would keep it as it is. Compile again from "
                    + "the live schema, or choose another name."));
            Generation generation = column.generation().orElse(null);
            String identity = generation instanceof Generation.Identity i ? (i.always() ? "a" : "d") : "";
            String generated = generation instanceof Generation.Stored ? "s" : "";
            boolean hasDefault = column.defaultValue().isPresent() || generation instanceof Generation.Stored;
            out.verify(new Check("The column " + t() + "." + c() + " exists as " + column.type().sql()
                    + (column.nullable() ? ", nullable" : ", NOT NULL")
                    + (generation instanceof Generation.Identity ? ", identity" : generation instanceof Generation.Stored
                    ? ", stored generated" : hasDefault ? ", with its default" : ", without default") + ".",
                    "SELECT format_type(a.atttypid, a.atttypmod) = " + PgSql.literal(column.type().sql())
                            + " AND a.attnotnull = " + !column.nullable()
                            + " AND (d.adbin IS NOT NULL) = " + hasDefault
                            + " AND a.attidentity::text = " + PgSql.literal(identity)
                            + " AND a.attgenerated::text = " + PgSql.literal(generated) + "\n"
                            + "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum\n"
                            + "WHERE a.attrelid = " + PgSql.regclass(t()) + " AND a.attname = " + PgSql.literal(c().value())
                            + " AND NOT a.attisdropped",
                    Expectation.isTrue(), "run the up script again (each step skips what is done); if the column existed before "
                    + "with another definition, it was kept: compare it with the description."));
            if (!BUILT_IN_TYPES.contains(column.type().name())) {
                out.hazard(new Hazard(RiskLevel.MEDIUM, "The type " + column.type().sql() + " may be a domain",
                        "zerodown does not know the type " + column.type().sql() + ". If it is a domain with constraints (CHECK or "
                                + "NOT NULL), ADD COLUMN evaluates them for every existing row and rewrites " + t()
                                + " under ACCESS EXCLUSIVE, even without a default.",
                        "Check it (\\dD " + column.type().sql() + " in psql); for a constrained domain, add the column with the "
                                + "domain's base type and convert it later, or run in a maintenance window."));
            }
        }

        void appChanges(CompiledOperation.Builder out, boolean filled) {
            String oldCode = switch (kind) {
                case NOT_NULL_EMPTY -> "Old code that inserts into " + t() + " without " + c() + " fails from the up script on "
                        + "(NOT NULL, no default): nothing may insert into " + t() + " until code that writes " + c() + " is deployed.";
                case IDENTITY -> "Old code keeps working: it does not know " + c() + ", and inserts that omit it get the next number.";
                case SERIAL -> "Old code keeps working: it does not know " + c() + ", and inserts that omit it get the next number.";
                case GENERATED -> "Old code keeps working: it does not know " + c() + ", which PostgreSQL computes on every write.";
                case PLAIN -> "Old code keeps working: it does not know " + c() + "; rows it inserts read NULL there.";
                default -> "Old code keeps working: it does not know " + c() + ", and rows it inserts get the default.";
            };
            Phase ready = !filled ? Phase.EXPAND : column.nullable() ? Phase.BACKFILL : Phase.BUILD;
            String writes = switch (kind) {
                case GENERATED -> " Writes must not set " + c() + " (a generated column refuses explicit values).";
                case IDENTITY -> identityAlways() && ready != Phase.EXPAND
                        ? " Until the build phase ends, code must not write " + c() + " explicitly (values would bypass the "
                        + "sequence); afterwards PostgreSQL refuses explicit values (GENERATED ALWAYS) unless OVERRIDING SYSTEM VALUE."
                        : identityAlways() ? " Writes must not set " + c() + " (GENERATED ALWAYS refuses explicit values)." : "";
                case SERIAL -> " Code should let " + c() + " take its default rather than write numbers itself.";
                default -> "";
            };
            boolean readOnly = kind == Kind.GENERATED || kind == Kind.IDENTITY && identityAlways();
            out.appChange(AppChange.after(ready, "Deploy code that " + (readOnly ? "reads " : "reads or writes ") + t() + "." + c()
                    + (ready == Phase.EXPAND ? "." : ", relying on it being filled in every row only from here on.") + writes,
                    oldCode));
            out.appChange(AppChange.before(Phase.EXPAND, "Nothing: no code change is needed before the up script.",
                    "The new column is invisible to code that names its columns; SELECT * returns one more column (last), and "
                            + "INSERT without a column list still works"
                            + (kind == Kind.NOT_NULL_EMPTY ? " only once it gives a value for the new column." : " (the new column "
                            + "takes its default).")));
        }

        static <T> List<T> concat(List<T> list, T item) {
            List<T> all = new ArrayList<>(list);
            all.add(item);
            return all;
        }

        static Step withInverse(Step s, Inverse inverse) {
            return new Step(s.id(), s.phase(), s.kind(), s.summary(), s.execution(), s.statements(), s.guard(), s.locks(),
                    s.estimate(), s.effects(), inverse, s.ifInterrupted());
        }
    }
}
