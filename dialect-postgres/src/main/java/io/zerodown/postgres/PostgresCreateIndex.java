package io.zerodown.postgres;

import io.zerodown.model.IndexName;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.operation.CreateIndex;
import io.zerodown.model.schema.Index;
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
import io.zerodown.spi.CompiledOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Creates an index on PostgreSQL.
 *
 * <p>Online: {@code CREATE INDEX CONCURRENTLY}, alone and outside any transaction, with
 * {@code lock_timeout} and {@code statement_timeout} off for the build (either firing during its
 * waits would leave an invalid index). It takes SHARE UPDATE EXCLUSIVE, which blocks neither reads
 * nor writes. A failed build leaves an INVALID index behind: the step before it finds one
 * ({@code pg_index.indisvalid}) and drops it concurrently, and the step after checks that the new
 * index is valid, so running the script again rebuilds it.
 *
 * <p>Direct (development database, or a window the build fits in): plain {@code CREATE INDEX},
 * which takes SHARE and blocks writes for the whole build.
 */
final class PostgresCreateIndex implements PgCompiler<CreateIndex> {

    private static final Set<String> METHODS = Set.of("btree", "hash", "gist", "spgist", "gin", "brin");

    @Override
    public List<String> problems(CreateIndex op, PgContext ctx) {
        List<String> problems = new ArrayList<>();
        IndexName name = op.resolvedName();
        if (PgNames.tooLong(name.value())) {
            problems.add("index name \"" + name + "\" is longer than 63 bytes; PostgreSQL would silently cut it. Choose a "
                    + "shorter one with named(…)");
        }
        if (!METHODS.contains(op.method())) {
            problems.add("index method \"" + op.method() + "\" is not one of PostgreSQL's built-in methods " + METHODS
                    + " (an extension's method is not supported yet)");
        }
        if (op.unique() && !op.method().equals("btree")) {
            problems.add("only btree indexes can be unique on PostgreSQL; got " + op.method());
        }
        return problems;
    }

    @Override
    public CompiledOperation compile(CreateIndex op, PgContext ctx) {
        TableProfile profile = ctx.profile(op.table());
        Index index = op.index();
        String slug = "index_" + PgContext.slug(index.name().value());
        long rows = profile.approximateRows();
        Duration plainBuild = PostgresFacts.forRows(rows, PostgresFacts.INDEX_BUILD_ROWS_PER_SECOND);
        Duration concurrentBuild = PostgresFacts.forRows(rows, PostgresFacts.CONCURRENT_INDEX_BUILD_ROWS_PER_SECOND);
        PgContext.Approach approach = ctx.choose("a plain CREATE INDEX", "every write to " + op.table(), plainBuild);

        CompiledOperation.Builder out = CompiledOperation.builder(op, strategy(op, approach));
        if (approach.direct()) {
            Step dropPlain = Step.builder(ctx.stepId(op, slug, "undo_build"), Phase.BUILD, Step.Kind.SCHEMA)
                    .summary("Drop the index " + index.name())
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of("DROP INDEX IF EXISTS " + PgSql.quote(index.name()))))
                    .lock(new LockClaim(op.table().value(), PgLock.ACCESS_EXCLUSIVE, TableWork.NONE, LockDuration.instant()))
                    .effect(new SchemaChange.DropIndex(op.table(), index.name()))
                    .build();
            out.step(Step.builder(ctx.stepId(op, slug, "build"), Phase.BUILD, Step.Kind.INDEX_BUILD)
                    .summary("Build the index " + index.name() + " (plain, blocking writes)")
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(createIndex(index, false))))
                    .lock(new LockClaim(op.table().value(), PgLock.SHARE, TableWork.INDEX_BUILD,
                            new LockDuration.ProportionalToRows(rows, plainBuild)))
                    .estimate(plainBuild)
                    .effect(new SchemaChange.AddIndex(index))
                    .inverse(Inverse.steps(dropPlain))
                    .ifInterrupted("Nothing is left behind: a plain CREATE INDEX rolls back whole. Run the script again.")
                    .build());
        } else {
            String invalid = "SELECT EXISTS (SELECT FROM pg_index WHERE indexrelid = " + PgSql.toRegclass(index.name())
                    + " AND NOT indisvalid)";
            Step dropConcurrently = Step.builder(ctx.stepId(op, slug, "undo_build"), Phase.BUILD, Step.Kind.SCHEMA)
                    .summary("Drop the index " + index.name() + " concurrently")
                    .execution(Execution.OUTSIDE_TRANSACTION)
                    .statement("DROP INDEX CONCURRENTLY IF EXISTS " + PgSql.quote(index.name()))
                    .lock(new LockClaim(op.table().value(), PgLock.SHARE_UPDATE_EXCLUSIVE, TableWork.NONE, LockDuration.instant()))
                    .effect(new SchemaChange.DropIndex(op.table(), index.name()))
                    .ifInterrupted("The index may be left INVALID; run the step again.")
                    .build();
            out.step(Step.builder(ctx.stepId(op, slug, "repair"), Phase.BUILD, Step.Kind.REPAIR)
                    .summary("Drop " + index.name() + " if an earlier build left it INVALID")
                    .execution(Execution.OUTSIDE_TRANSACTION)
                    .guard(invalid)
                    .statement("DROP INDEX CONCURRENTLY IF EXISTS " + PgSql.quote(index.name()))
                    .lock(new LockClaim(op.table().value(), PgLock.SHARE_UPDATE_EXCLUSIVE, TableWork.NONE, LockDuration.instant()))
                    .ifInterrupted("The invalid index may remain; run the script again.")
                    .build());
            out.step(Step.builder(ctx.stepId(op, slug, "build"), Phase.BUILD, Step.Kind.INDEX_BUILD)
                    .summary("Build the index " + index.name() + " concurrently")
                    .execution(Execution.OUTSIDE_TRANSACTION)
                    .statement("SET lock_timeout = 0")
                    .statement("SET statement_timeout = 0")
                    .statement(createIndex(index, true))
                    .statement("RESET statement_timeout")
                    .statement("RESET lock_timeout")
                    .statement(validityCheck(op, index))
                    .lock(new LockClaim(op.table().value(), PgLock.SHARE_UPDATE_EXCLUSIVE, TableWork.INDEX_BUILD,
                            new LockDuration.ProportionalToRows(rows, concurrentBuild)))
                    .estimate(concurrentBuild)
                    .effect(new SchemaChange.AddIndex(index))
                    .inverse(Inverse.steps(dropConcurrently))
                    .ifInterrupted("The index is left INVALID: queries ignore it but writes still maintain it. Running the "
                            + "script again drops it concurrently and builds it anew.")
                    .build());
            out.monitor(Monitor.query("Index build progress", "SELECT pid, phase, blocks_done, blocks_total, tuples_done, tuples_total,\n"
                            + "       lockers_done, lockers_total, current_locker_pid\nFROM pg_stat_progress_create_index",
                    "a phase starting with 'waiting for' that does not move: a long transaction holds it up (see current_locker_pid)"));
            out.abortWhen(new AbortCriterion("the build waits minutes in a 'waiting for …' phase on a transaction you cannot end",
                    "cancel it (pg_cancel_backend); it leaves an INVALID index that the next run of the script drops and rebuilds"));
            out.hazard(new Hazard(RiskLevel.LOW, "Concurrent build waits for old transactions",
                    "CREATE INDEX CONCURRENTLY waits until every transaction that started before each of its phases has ended, "
                            + "on any table; a forgotten open transaction makes it wait indefinitely (without blocking traffic).",
                    "The pre-check lists old transactions; pg_stat_progress_create_index shows what it waits for."));
            ctx.facts().concurrentIndexDefect().ifPresent(defect -> out.hazard(new Hazard(RiskLevel.HIGH,
                    "Concurrent index builds can miss rows on 14.0 to 14.3", defect,
                    "The pre-check stops the migration on an affected server version.")));
            if (ctx.facts().version().major() == 14) {
                out.preCheck(new Check("The server is not PostgreSQL 14.0 to 14.3, whose concurrent index builds can miss rows.",
                        "SELECT current_setting('server_version_num')::int NOT BETWEEN 140000 AND 140399",
                        Expectation.isTrue(), "upgrade to 14.4 or later before building indexes concurrently."));
            }
        }
        out.preCheck(new Check("No index or other relation named " + index.name() + " exists yet (on a re-run it does: expected).",
                "SELECT count(*) FROM pg_class WHERE oid = " + PgSql.toRegclass(index.name()), Expectation.count(0),
                "the name is taken; choose another with named(…) and compile again."));
        if (op.unique()) {
            out.preCheck(new Check("No duplicate keys among the indexed rows (a unique build would fail on them).",
                    duplicateQuery(op, index), Expectation.count(0),
                    "remove or merge the duplicates first; list them with the inner query."));
        }
        out.verify(new Check("The index " + index.name() + " exists on " + op.table() + " and is valid.",
                "SELECT i.indisvalid AND i.indisready AND i.indrelid = " + PgSql.regclass(op.table()) + " AND i.indisunique = "
                        + op.unique() + "\nFROM pg_index i WHERE i.indexrelid = " + PgSql.toRegclass(index.name()),
                Expectation.isTrue(), "run the up script again: an invalid index is dropped and rebuilt."));
        out.appChange(AppChange.after(Phase.BUILD, "Queries that filter on " + describeKeys(index)
                        + (index.predicate().isPresent() ? " (with a condition implying " + index.predicate().get().sql() + ")" : "")
                        + " can rely on " + index.name() + "; check their plans with EXPLAIN.",
                "Nothing changes for existing code: an index is invisible to it."));
        return out.build();
    }

    private static Strategy strategy(CreateIndex op, PgContext.Approach approach) {
        if (approach.direct()) {
            return new Strategy(List.of(Technique.DIRECT), List.of("Index " + op.resolvedName() + ": " + approach.reason()));
        }
        return new Strategy(List.of(Technique.CONCURRENT_INDEX), List.of("Index " + op.resolvedName() + ": " + approach.reason()
                + " CREATE INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes; it is built "
                + "after the backfill, so the backfill's writes do not have to maintain it."));
    }

    /** {@code CREATE [UNIQUE] INDEX [CONCURRENTLY] IF NOT EXISTS "name" ON "table" USING method (keys) [WHERE …]}. */
    static String createIndex(Index index, boolean concurrently) {
        return "CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX " + (concurrently ? "CONCURRENTLY " : "") + "IF NOT EXISTS "
                + PgSql.quote(index.name()) + " ON " + PgSql.quote(index.table()) + " USING " + index.method() + " ("
                + index.elements().stream().map(PostgresCreateIndex::element).collect(Collectors.joining(", ")) + ")"
                + index.predicate().map(p -> " WHERE " + p.sql()).orElse("");
    }

    private static String element(Index.Element element) {
        String key = element instanceof Index.Element.OfColumn c ? PgSql.quote(c.column())
                : "(" + ((Index.Element.OfExpression) element).expression().sql() + ")";
        return element.descending() ? key + " DESC" : key;
    }

    private static String describeKeys(Index index) {
        return index.elements().stream()
                .map(e -> e instanceof Index.Element.OfColumn c ? c.column().value() : ((Index.Element.OfExpression) e).expression().sql())
                .collect(Collectors.joining(", "));
    }

    /** Stops the script unless the index exists, is valid and is the one intended (IF NOT EXISTS skips silently otherwise). */
    static String validityCheck(CreateIndex op, Index index) {
        String body = "\nBEGIN\n"
                + "  IF NOT EXISTS (SELECT FROM pg_index WHERE indexrelid = " + PgSql.toRegclass(index.name()) + " AND indisvalid\n"
                + "                 AND indrelid = " + PgSql.regclass(op.table()) + " AND indisunique = " + op.unique() + ") THEN\n"
                + "    RAISE EXCEPTION 'zerodown: index % is missing, INVALID, or not the index this migration builds', "
                + PgSql.literal(index.name().value()) + "\n"
                + "      USING HINT = 'Run the script again: an INVALID index is dropped and rebuilt. If another index has this name, rename one of them.';\n"
                + "  END IF;\n"
                + "END\n";
        return "DO " + PgSql.dollarQuote(body, "zerodown");
    }

    static String duplicateQuery(CreateIndex op, Index index) {
        String keys = index.elements().stream()
                .map(e -> e instanceof Index.Element.OfColumn c ? PgSql.quote(c.column()) : "(" + ((Index.Element.OfExpression) e).expression().sql() + ")")
                .collect(Collectors.joining(", "));
        String notNull = index.elements().stream()
                .map(e -> (e instanceof Index.Element.OfColumn c ? PgSql.quote(c.column()) : "(" + ((Index.Element.OfExpression) e).expression().sql() + ")") + " IS NOT NULL")
                .collect(Collectors.joining(" AND "));
        return "SELECT count(*) FROM (\n  SELECT " + keys + " FROM " + PgSql.quote(op.table()) + " WHERE " + notNull
                + index.predicate().map(p -> " AND (" + p.sql() + ")").orElse("") + "\n  GROUP BY " + keys + " HAVING count(*) > 1\n) AS duplicates";
    }
}
