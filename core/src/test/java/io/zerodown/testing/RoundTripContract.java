package io.zerodown.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerodown.Zerodown;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.ReadPattern;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.SchemaChange;
import io.zerodown.plan.Step;
import io.zerodown.run.CheckResult;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * The round trip every dialect must pass on its real server, for generated tables with rows (a main
 * table, sometimes a second one referencing it) and generated sequences of operations across them:
 * <ul>
 *   <li>in memory, the down script's effects undo the up script's exactly;</li>
 *   <li>on the server, after an interrupted first run, the up script runs to the end, its
 *       verification queries pass, the catalog shows exactly the schema the package simulated,
 *       and the data of the pre-existing columns is untouched (except columns the plan backfills on purpose);</li>
 *   <li>the down script then restores the catalog exactly and leaves the data untouched;</li>
 *   <li>a down script right after an interrupted up script also restores the catalog;</li>
 *   <li>up then the contract phase end in the package's final schema, and the contract phase's
 *       undo script, where there is one, does what its steps say.</li>
 * </ul>
 * Implement {@link #database()} in a class named {@code …Test}.
 */
public interface RoundTripContract {

    DatabaseUnderTest database();

    @Provide
    default Arbitrary<RoundTripCase> roundTripCases() {
        return RoundTripGenerators.cases();
    }

    @Property(tries = 25, shrinking = ShrinkingMode.BOUNDED)
    default void upThenDownRestoresSchemaAndData(@ForAll("roundTripCases") RoundTripCase c) throws Exception {
        DatabaseUnderTest db = database();
        MigrationPackage pkg = compile(db, c);
        Schema simulatedUp = simulate(pkg.schemaBefore(), pkg.up().steps());
        assertThat(simulate(simulatedUp, pkg.down().script().steps())).as("down undoes up in memory").isEqualTo(pkg.schemaBefore());

        try (DatabaseUnderTest.Session s = db.open()) {
            Connection conn = s.connection();
            createAll(db, s, c);
            Schema before = s.introspect();
            List<String> restorableData = checksums(s, c, false);
            List<String> untouchedData = checksums(s, c, true);
            assertThat(failures(CheckRunner.run(conn, pkg.execution().preChecks()))).as("pre-checks").isEmpty();

            runInterrupted(s, pkg.up().steps(), c.interruptAt());
            new StepRunner(conn).run(pkg.up().steps());
            assertThat(failures(CheckRunner.run(conn, pkg.verification()))).as("verification after up").isEmpty();
            assertThat(db.comparable(s.introspect())).as("the catalog after up is the simulated schema")
                    .isEqualTo(db.comparable(simulatedUp));
            assertThat(checksums(s, c, true)).as("data of the pre-existing columns the plan does not rewrite, after up").isEqualTo(untouchedData);

            new StepRunner(conn).run(pkg.down().script().steps());
            assertThat(s.introspect()).as("the catalog after down").isEqualTo(before);
            assertThat(checksums(s, c, false)).as("data after down (backfilled columns only where the rollback requirement keeps old values)")
                    .isEqualTo(restorableData);
        }
    }

    /**
     * Up, then the contract phase: the catalog is the package's final schema; where the contract
     * phase can be undone, its undo script (run twice) leaves the catalog as the steps' effects say.
     */
    @Property(tries = 8, shrinking = ShrinkingMode.BOUNDED)
    default void theContractPhaseEndsInTheFinalSchema(@ForAll("roundTripCases") RoundTripCase c) throws Exception {
        DatabaseUnderTest db = database();
        MigrationPackage pkg = compile(db, c);
        try (DatabaseUnderTest.Session s = db.open()) {
            Connection conn = s.connection();
            createAll(db, s, c);
            new StepRunner(conn).run(pkg.up().steps());
            new StepRunner(conn).run(pkg.contract().steps());
            assertThat(db.comparable(s.introspect())).as("the catalog after the contract phase").isEqualTo(db.comparable(pkg.schemaAfter()));
            List<Step> undo = pkg.down().contractDown().script().steps();
            if (!undo.isEmpty()) {
                new StepRunner(conn).run(undo);
                new StepRunner(conn).run(undo);
                assertThat(db.comparable(s.introspect())).as("the catalog after undoing the contract phase")
                        .isEqualTo(db.comparable(simulate(pkg.schemaAfter(), undo)));
            }
        }
    }

    @Property(tries = 6, shrinking = ShrinkingMode.BOUNDED)
    default void downAfterAnInterruptedUpRestoresTheSchema(@ForAll("roundTripCases") RoundTripCase c) throws Exception {
        DatabaseUnderTest db = database();
        MigrationPackage pkg = compile(db, c);
        try (DatabaseUnderTest.Session s = db.open()) {
            createAll(db, s, c);
            Schema before = s.introspect();
            runInterrupted(s, pkg.up().steps(), c.interruptAt());
            new StepRunner(s.connection()).run(pkg.down().script().steps());
            assertThat(s.introspect()).isEqualTo(before);
        }
    }

    private static MigrationPackage compile(DatabaseUnderTest db, RoundTripCase c) {
        MigrationContext.Builder context = MigrationContext.builder()
                .name("round_trip")
                .date(LocalDate.of(2026, 1, 1))
                .target(db.target())
                .downtime(c.downtime())
                .rollback(c.rollback());
        StringBuilder ddl = new StringBuilder();
        for (TableSpec table : c.tables()) {
            context.profile(table.name(), TableProfile.of(table.rows().size(), 5, ReadPattern.MIXED));
            ddl.append(db.createTable(table)).append('\n');
        }
        return Zerodown.compile(c.plan(), ddl.toString(), context.build());
    }

    private static void createAll(DatabaseUnderTest db, DatabaseUnderTest.Session s, RoundTripCase c) throws Exception {
        for (TableSpec table : c.tables()) {
            create(db, s, table);
        }
    }

    /** One digest per table: of the columns the up script leaves untouched, or of those the down script restores. */
    private static List<String> checksums(DatabaseUnderTest.Session s, RoundTripCase c, boolean untouchedOnly) throws Exception {
        List<String> sums = new ArrayList<>();
        for (TableSpec table : c.tables()) {
            sums.add(s.checksum(table.name(), table.key(), untouchedOnly ? c.untouchedColumns(table) : c.restoredColumns(table)));
        }
        return sums;
    }

    private static void create(DatabaseUnderTest db, DatabaseUnderTest.Session s, TableSpec table) throws Exception {
        Connection conn = s.connection();
        try (var statement = conn.createStatement()) {
            statement.execute(db.createTable(table));
        }
        if (table.rows().isEmpty()) {
            return;
        }
        StringBuilder insert = new StringBuilder("INSERT INTO ").append(RoundTripGenerators.quoteForExpression(table.name())).append(" (")
                .append(RoundTripGenerators.quoteForExpression(table.key()));
        for (ColumnSpec c : table.columns()) {
            insert.append(", ").append(RoundTripGenerators.quoteForExpression(c.name()));
        }
        insert.append(") VALUES (?").append(", ?".repeat(table.columns().size())).append(")");
        try (PreparedStatement ps = conn.prepareStatement(insert.toString())) {
            long id = 1;
            for (List<Object> row : table.rows()) {
                ps.setLong(1, id++);
                for (int i = 0; i < row.size(); i++) {
                    ps.setObject(i + 2, row.get(i));
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Runs the first {@code at} steps; a backfill at {@code at} runs one batch only, any other step there does not run. */
    private static void runInterrupted(DatabaseUnderTest.Session s, List<Step> up, int at) throws Exception {
        if (up.isEmpty()) {
            return; // everything happens in the contract phase (a one-way drop column, say)
        }
        int stop = Math.min(at, up.size() - 1);
        StepRunner runner = new StepRunner(s.connection());
        runner.run(up.subList(0, stop));
        if (up.get(stop).kind() == Step.Kind.BACKFILL) {
            s.limitBackfillToOneBatch(true);
            runner.run(up.get(stop));
            s.limitBackfillToOneBatch(false);
        }
    }

    private static Schema simulate(Schema schema, List<Step> steps) {
        Schema result = schema;
        for (Step step : steps) {
            result = SchemaChange.applyAll(result, step.effects());
        }
        return result;
    }

    private static List<String> failures(List<CheckResult> results) {
        List<String> failed = new ArrayList<>();
        results.stream().filter(r -> !r.passed()).forEach(r -> failed.add(r.toString()));
        return failed;
    }
}
