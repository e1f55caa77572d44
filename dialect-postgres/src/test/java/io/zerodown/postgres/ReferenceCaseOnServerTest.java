package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.checksum;
import static io.zerodown.postgres.PgTestSupport.execute;
import static io.zerodown.postgres.PgTestSupport.introspect;
import static io.zerodown.postgres.PgTestSupport.queryLong;
import static io.zerodown.postgres.PgTestSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.zerodown.model.schema.Schema;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
import io.zerodown.postgres.testing.ComparableSchema;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckResult;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference case run for real on PostgreSQL 15: up, verification, semantics, re-runs, down, and the psql scripts. */
class ReferenceCaseOnServerTest {

    static final int ROWS = 25_000;
    private final MigrationPackage pkg = ReferenceCase.compile(15);

    /** The reference table with rows covering every documented case, plus bulk rows across several batches. */
    static void createUsers(Connection c) throws Exception {
        execute(c, ReferenceCase.DDL);
        execute(c, "INSERT INTO users (email, full_name) VALUES "
                + "('cher@example.com', 'Cher'), ('null@example.com', NULL), ('empty@example.com', ''), "
                + "('blank@example.com', '   '), ('padded@example.com', '  John   Smith  '), "
                + "('three@example.com', 'Anne Marie Smith'), ('trailing@example.com', 'Madonna '), "
                + "('quote@example.com', 'Conan O''Brien'), ('unicode@example.com', 'Zoë Ñúñez-Østergaard')");
        execute(c, "INSERT INTO users (email, full_name) SELECT 'user' || g || '@example.com', "
                + "CASE g % 5 WHEN 0 THEN NULL WHEN 1 THEN 'First' || g WHEN 2 THEN 'First' || g || ' Last' || g "
                + "WHEN 3 THEN ' First' || g || '  Middle Last' || g || ' ' ELSE '' END FROM generate_series(1, " + (ROWS - 9) + ") g");
    }

    static List<String> failures(List<CheckResult> results) {
        return results.stream().filter(r -> !r.passed()).map(CheckResult::toString).toList();
    }

    @Test
    void preChecksPassThenUpVerifiesThenDownRestoresSchemaAndData() throws Exception {
        try (TestDatabase db = PostgresServers.reference().createDatabase(); Connection c = db.connect()) {
            createUsers(c);
            Schema before = introspect(c);
            String data = checksum(c, "users", "id", "email", "full_name", "created_at");

            assertThat(failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
            List<String> ran = new StepRunner(c).run(pkg.up().steps());
            assertThat(ran).as("the repair step is skipped: there is no invalid index").hasSize(pkg.up().steps().size() - 1);
            assertThat(failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(checksum(c, "users", "id", "email", "full_name", "created_at")).as("pre-existing data untouched").isEqualTo(data);
            assertThat(ComparableSchema.of(introspect(c))).as("the simulated schema matches the server")
                    .isEqualTo(ComparableSchema.of(simulatedBeforeContract()));

            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, "users", "id", "email", "full_name", "created_at")).isEqualTo(data);
        }
    }

    /** The schema after the up script as the package simulates it: every step's effect applied, contract excluded. */
    private Schema simulatedBeforeContract() {
        Schema schema = pkg.schemaBefore();
        for (Step step : pkg.up().steps()) {
            schema = io.zerodown.plan.SchemaChange.applyAll(schema, step.effects());
        }
        return schema;
    }

    @Test
    void splitsEveryDocumentedCaseAsTheNotesSay() throws Exception {
        try (TestDatabase db = PostgresServers.reference().createDatabase(); Connection c = db.connect()) {
            createUsers(c);
            new StepRunner(c).run(pkg.up().steps());
            assertThat(rows(c, "SELECT email, first_name, last_name FROM users WHERE email NOT LIKE 'user%' ORDER BY id"))
                    .containsExactly(
                            row("cher@example.com", "Cher", null), row("null@example.com", null, null),
                            row("empty@example.com", null, null), row("blank@example.com", null, null),
                            row("padded@example.com", "John", "Smith"), row("three@example.com", "Anne", "Marie Smith"),
                            row("trailing@example.com", "Madonna", null), row("quote@example.com", "Conan", "O'Brien"),
                            row("unicode@example.com", "Zoë", "Ñúñez-Østergaard"));
        }
    }

    @Test
    void oldAndNewCodeWritesAreSyncedBothWays() throws Exception {
        try (TestDatabase db = PostgresServers.reference().createDatabase(); Connection c = db.connect()) {
            createUsers(c);
            new StepRunner(c).run(pkg.up().steps());
            // old code: writes full_name only
            execute(c, "INSERT INTO users (email, full_name) VALUES ('old@example.com', 'Grace Hopper')",
                    "UPDATE users SET full_name = 'Cher Sarkisian' WHERE email = 'cher@example.com'",
                    "UPDATE users SET email = 'john@example.org' WHERE email = 'padded@example.com'");
            // new code: writes the parts only
            execute(c, "INSERT INTO users (email, first_name, last_name) VALUES ('new@example.com', 'Ada', 'Lovelace')",
                    "INSERT INTO users (email, first_name) VALUES ('mono@example.com', 'Prince')",
                    "UPDATE users SET last_name = 'Hopper-Murray' WHERE email = 'old@example.com'",
                    "UPDATE users SET first_name = 'Mary Ann', last_name = 'Evans' WHERE email = 'three@example.com'");
            assertThat(rows(c, "SELECT email, full_name, first_name, last_name FROM users WHERE email IN "
                    + "('old@example.com', 'cher@example.com', 'john@example.org', 'new@example.com', 'mono@example.com', 'three@example.com') ORDER BY email"))
                    .containsExactly(
                            row("cher@example.com", "Cher Sarkisian", "Cher", "Sarkisian"),
                            row("john@example.org", "  John   Smith  ", "John", "Smith"),
                            row("mono@example.com", "Prince", "Prince", null),
                            row("new@example.com", "Ada Lovelace", "Ada", "Lovelace"),
                            row("old@example.com", "Grace Hopper-Murray", "Grace", "Hopper-Murray"),
                            row("three@example.com", "Mary Ann Evans", "Mary Ann", "Evans"));
        }
    }

    private static List<String> row(String... values) {
        List<String> row = new ArrayList<>();
        for (String v : values) {
            row.add(v);
        }
        return row;
    }

    @Test
    void anInterruptedBackfillResumesWhereItStoppedAndUpCanBeRunAgain() throws Exception {
        try (TestDatabase db = PostgresServers.reference().createDatabase(); Connection c = db.connect()) {
            createUsers(c);
            execute(c, "SET zerodown.max_batches = 1");
            new StepRunner(c).run(pkg.up().steps().subList(0, 2));
            execute(c, "RESET zerodown.max_batches");
            assertThat(queryLong(c, "SELECT batches FROM zerodown.backfill_progress")).isEqualTo(1);
            assertThat(queryLong(c, "SELECT count(*) FROM users WHERE first_name IS NULL AND btrim(full_name) <> ''"))
                    .as("only the first batch is filled").isGreaterThan(0);

            new StepRunner(c).run(pkg.up().steps());
            assertThat(queryLong(c, "SELECT batches FROM zerodown.backfill_progress"))
                    .as("resumed after batch 1, not restarted: 25,000 rows in batches of 10,000").isEqualTo(3);
            assertThat(failures(CheckRunner.run(c, pkg.verification()))).isEmpty();

            new StepRunner(c).run(pkg.up().steps());
            assertThat(failures(CheckRunner.run(c, pkg.verification()))).as("a third run changes nothing").isEmpty();
        }
    }

    @Test
    void downAfterAnInterruptedUpAndUpAfterDownBothWork() throws Exception {
        try (TestDatabase db = PostgresServers.reference().createDatabase(); Connection c = db.connect()) {
            createUsers(c);
            Schema before = introspect(c);
            new StepRunner(c).run(pkg.up().steps().subList(0, 1));
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);

            new StepRunner(c).run(pkg.up().steps());
            new StepRunner(c).run(pkg.down().script().steps());
            new StepRunner(c).run(pkg.up().steps());
            assertThat(failures(CheckRunner.run(c, pkg.verification())))
                    .as("after a down, the backfill's progress is forgotten and the next up fills the columns again").isEmpty();
        }
    }

    @Test
    void contractDropsTriggerAndSourceAfterwards() throws Exception {
        try (TestDatabase db = PostgresServers.reference().createDatabase(); Connection c = db.connect()) {
            createUsers(c);
            new StepRunner(c).run(pkg.up().steps());
            new StepRunner(c).run(pkg.contract().steps());
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
            new StepRunner(c).run(pkg.contract().steps());
            assertThat(ComparableSchema.of(introspect(c))).as("running the contract again changes nothing")
                    .isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
        }
    }

    @Test
    void psqlRunsTheScriptsAsRenderedTwiceAndRebuildsAnInvalidIndex() throws Exception {
        boolean required = "true".equals(System.getenv("ZERODOWN_REQUIRE_PSQL"));
        if (!required) {
            assumeThat(PgTestSupport.psqlAvailable()).as("psql is not installed (CI sets ZERODOWN_REQUIRE_PSQL=true)").isTrue();
        }
        try (TestDatabase db = PostgresServers.reference().createDatabase(); Connection c = db.connect()) {
            createUsers(c);
            Schema before = introspect(c);
            String output = PgTestSupport.psql(db, pkg.up().sql());
            assertThat(output).contains("zerodown: up script complete").contains("step 3 not needed, skipped");
            assertThat(failures(CheckRunner.run(c, pkg.verification()))).isEmpty();

            // A failed concurrent build leaves the index INVALID; marking it so stands in for the failure.
            execute(c, "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'users_last_name_idx'::regclass");
            long oldIndex = queryLong(c, "SELECT 'users_last_name_idx'::regclass::oid");
            output = PgTestSupport.psql(db, pkg.up().sql());
            assertThat(output).contains("already finished").doesNotContain("step 3 not needed");
            assertThat(queryLong(c, "SELECT 'users_last_name_idx'::regclass::oid")).as("rebuilt, not kept").isNotEqualTo(oldIndex);
            assertThat(failures(CheckRunner.run(c, pkg.verification()))).isEmpty();

            PgTestSupport.psql(db, pkg.down().script().sql());
            assertThat(introspect(c)).isEqualTo(before);
            PgTestSupport.psql(db, pkg.down().script().sql());
            assertThat(introspect(c)).as("the down script can run twice").isEqualTo(before);
        }
    }
}
