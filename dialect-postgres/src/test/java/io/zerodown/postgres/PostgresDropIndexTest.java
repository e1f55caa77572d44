package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.checksum;
import static io.zerodown.postgres.PgTestSupport.execute;
import static io.zerodown.postgres.PgTestSupport.introspect;
import static io.zerodown.postgres.PgTestSupport.queryString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerodown.Migration;
import io.zerodown.MigrationValidationException;
import io.zerodown.Problem;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
import io.zerodown.plan.Technique;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/** dropIndex on real servers: the concurrent drop, and a down script that rebuilds the index exactly as it was. */
class PostgresDropIndexTest {

    static final String DDL = """
            CREATE TABLE docs (id bigint PRIMARY KEY, title text, body text, score integer);
            CREATE UNIQUE INDEX docs_title_key ON docs (lower(title)) WHERE score > 0;
            CREATE INDEX docs_score_idx ON docs (score DESC, id);
            CREATE INDEX docs_body_hash ON docs USING hash (body);
            """;

    static PackageChecks.Setup rows(int n) {
        return c -> execute(c, DDL, "INSERT INTO docs SELECT g, 'Title ' || g, 'body ' || g, g % 100 FROM generate_series(1, " + n + ") g");
    }

    static MigrationPackage compile(MigrationPlan plan, int major, DowntimeTolerance downtime) {
        return KeysFixtures.compile(plan, DDL, major, downtime, "docs", 3_000_000);
    }

    static MigrationPackage online(int major) {
        return compile(Migration.on("docs").dropIndex("docs_title_key").plan(), major, DowntimeTolerance.none());
    }

    static MigrationPackage direct(int major) {
        return compile(Migration.on("docs").dropIndex("docs_title_key").plan(), major, DowntimeTolerance.devOnly());
    }

    @Test
    void goldenFiles() {
        KeysFixtures.assertGolden("drop_index", "online", online(15));
        KeysFixtures.assertGolden("drop_index", "direct", direct(15));
    }

    @Test
    void onlyADevelopmentDatabaseGetsTheBlockingDrop() {
        MigrationPackage pkg = online(15);
        assertThat(pkg.strategy().techniques()).containsExactly(Technique.CONCURRENT_INDEX);
        assertThat(pkg.up().steps()).singleElement().satisfies(s -> {
            assertThat(s.locks()).singleElement().satisfies(l -> assertThat(l.mode()).isEqualTo(PgLock.SHARE_UPDATE_EXCLUSIVE));
            assertThat(s.statements()).contains("DROP INDEX CONCURRENTLY IF EXISTS \"docs_title_key\"");
        });
        assertThat(pkg.down().script().sql()).contains("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"docs_title_key\"");
        MigrationPackage window = compile(Migration.on("docs").dropIndex("docs_title_key").plan(), 15,
                DowntimeTolerance.maintenanceWindow(Duration.ofHours(1)));
        assertThat(window.strategy().techniques()).as("a window gains nothing: the concurrent drop blocks nothing")
                .containsExactly(Technique.CONCURRENT_INDEX);
        assertThat(direct(15).up().steps()).singleElement().satisfies(s ->
                assertThat(s.locks()).singleElement().satisfies(l -> assertThat(l.mode()).isEqualTo(PgLock.ACCESS_EXCLUSIVE)));
        assertThat(direct(15).down().script().sql()).contains("CREATE UNIQUE INDEX IF NOT EXISTS \"docs_title_key\"").doesNotContain("CONCURRENTLY");
    }

    @Test
    void locksAndRoundTripOnOldestAndNewest() throws Exception {
        MigrationPlan others = Migration.on("docs").dropIndex("docs_score_idx").dropIndex("docs_body_hash").plan();
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            PackageChecks.locksAndRoundTrip(server, rows(1_000), online(server.major()));
            PackageChecks.locksAndRoundTrip(server, rows(1_000), direct(server.major()));
        }
        PackageChecks.locksAndRoundTrip(PostgresServers.newest(), rows(1_000), compile(others, 18, DowntimeTolerance.none()));
    }

    /** The dropped index alone on the table: the other indexes would only slow the loading of rows. */
    static PackageChecks.Setup titleIndexOnly(int n) {
        return c -> execute(c, "CREATE TABLE docs (id bigint PRIMARY KEY, title text, body text, score integer)",
                "CREATE UNIQUE INDEX docs_title_key ON docs (lower(title)) WHERE score > 0",
                "INSERT INTO docs SELECT g, 'Title ' || g, 'body ' || g, g % 100 FROM generate_series(1, " + n + ") g");
    }

    @Test
    void durationClassesOnNewest() throws Exception {
        PackageChecks.durationClasses(PostgresServers.newest(), PostgresDropIndexTest::titleIndexOnly, 4_000, 100_000, online(18));
        PackageChecks.durationClasses(PostgresServers.newest(), PostgresDropIndexTest::titleIndexOnly, 4_000, 100_000, direct(18));
    }

    @Test
    void downRebuildsTheIndexExactlyAndItEnforcesUniquenessAgain() throws Exception {
        MigrationPackage pkg = online(15);
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.reference());
        try (Connection c = db.connect()) {
            rows(5_000).apply(c);
            Schema before = introspect(c);
            String data = checksum(c, "docs", "id", "title", "body", "score");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            execute(c, "INSERT INTO docs VALUES (-1, 'TITLE 1', 'dup', 5)");
            execute(c, "DELETE FROM docs WHERE id = -1");
            new StepRunner(c).run(pkg.up().steps());
            assertThat(checksum(c, "docs", "id", "title", "body", "score")).isEqualTo(data);

            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).as("unique, expression, partial: as before").isEqualTo(before);
            assertThat(checksum(c, "docs", "id", "title", "body", "score")).isEqualTo(data);
            assertThatThrownBy(() -> execute(c, "INSERT INTO docs VALUES (-1, 'TITLE 1', 'dup', 5)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
        }
    }

    @Test
    void aDuplicateWrittenMeanwhileStopsTheRebuildUntilItIsRemoved() throws Exception {
        MigrationPackage pkg = online(15);
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.reference());
        try (Connection c = db.connect()) {
            rows(2_000).apply(c);
            Schema before = introspect(c);
            new StepRunner(c).run(pkg.up().steps());
            execute(c, "INSERT INTO docs VALUES (-1, 'TITLE 1', 'dup', 5)");
            assertThatThrownBy(() -> new StepRunner(c).run(pkg.down().script().steps())).hasMessageContaining("could not create unique index");
            assertThat(queryString(c, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'docs_title_key'::regclass")).isEqualTo("f");
            execute(c, "DELETE FROM docs WHERE id = -1");
            List<String> ran = new StepRunner(c).run(pkg.down().script().steps());
            assertThat(ran).as("the INVALID index is dropped first").hasSize(2);
            assertThat(introspect(c)).isEqualTo(before);
        }
    }

    @Test
    void thePreCheckFindsAForeignKeyRestingOnTheIndex() throws Exception {
        String ddl = "CREATE TABLE parents (id integer NOT NULL, CONSTRAINT parents_id_key UNIQUE (id));\n"
                + "CREATE UNIQUE INDEX parents_id_uidx ON parents (id);\n"
                + "CREATE TABLE children (parent integer REFERENCES parents (id));";
        MigrationPackage pkg = KeysFixtures.compile(Migration.on("parents").dropIndex("parents_id_uidx").plan(), ddl, 15,
                DowntimeTolerance.none(), "parents", 10);
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.reference());
        try (Connection c = db.connect()) {
            // The foreign key is created while the unique index is the only key on parents.id, so it rests on the index.
            execute(c, "CREATE TABLE parents (id integer NOT NULL)", "CREATE UNIQUE INDEX parents_id_uidx ON parents (id)",
                    "CREATE TABLE children (parent integer REFERENCES parents (id))",
                    "ALTER TABLE parents ADD CONSTRAINT parents_id_key UNIQUE (id)");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks())))
                    .singleElement().asString().contains("No constraint depends on the index parents_id_uidx");
            assertThatThrownBy(() -> new StepRunner(c).run(pkg.up().steps())).hasMessageContaining("depend");
        }
    }

    @Test
    void thePreCheckFindsAReplicaIdentityIndex() throws Exception {
        String ddl = "CREATE TABLE rows (a integer NOT NULL, b text);\nCREATE UNIQUE INDEX rows_a_key ON rows (a);";
        MigrationPackage pkg = KeysFixtures.compile(Migration.on("rows").dropIndex("rows_a_key").plan(), ddl, 15,
                DowntimeTolerance.none(), "rows", 10);
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.reference());
        try (Connection c = db.connect()) {
            execute(c, ddl, "ALTER TABLE rows REPLICA IDENTITY USING INDEX rows_a_key");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks())))
                    .singleElement().asString().contains("is not the replica identity of rows");
        }
    }

    @Test
    void misuseIsReportedTogether() {
        String ddl = DDL + "CREATE TABLE parents (code text, CONSTRAINT parents_pkey PRIMARY KEY (code));\n"
                + "CREATE TABLE tags (name text);\nCREATE UNIQUE INDEX tags_name_key ON tags (name);\n"
                + "CREATE TABLE labels (tag text REFERENCES tags (name));";
        MigrationPlan plan = Migration.on("parents").dropIndex("parents_pkey")
                .on("tags").dropIndex("tags_name_key")
                .on("docs").dropIndex("docs_titel_key")
                .on("tags").dropIndex("docs_score_idx")
                .plan();
        assertThatThrownBy(() -> KeysFixtures.compile(plan, ddl, 15, DowntimeTolerance.none(), "docs", 10))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly(
                                "index \"parents_pkey\" backs the primary key \"parents_pkey\" of table \"parents\" and cannot be dropped "
                                        + "on its own: drop the constraint instead (dropConstraint(\"parents_pkey\"))",
                                "foreign key \"labels_tag_fkey\" of table \"labels\" references tags (name) through the unique index "
                                        + "\"tags_name_key\", the only unique key on those columns: drop or change the foreign key first, "
                                        + "or add a unique constraint on them",
                                "no index \"docs_titel_key\" on table \"docs\"",
                                "no index \"docs_score_idx\" on table \"tags\" (it is on table \"docs\")"));
    }

    @Test
    void droppingAnInvalidIndexCannotBeUndoneByARebuild() {
        Schema schema = io.zerodown.Zerodown.parseSchema(io.zerodown.model.context.Target.postgres(15), DDL);
        io.zerodown.model.schema.Table docs = schema.requireTable(io.zerodown.model.TableName.of("docs"));
        Schema invalid = schema.withTable(docs.withIndexes(docs.indexes().stream()
                .map(i -> i.name().value().equals("docs_score_idx") ? new io.zerodown.model.schema.Index(i.name(), i.table(), i.elements(),
                        i.unique(), i.predicate(), i.method(), false) : i).toList()));
        MigrationPackage pkg = io.zerodown.Zerodown.compile(Migration.on("docs").dropIndex("docs_score_idx").plan(), invalid,
                KeysFixtures.context(15, DowntimeTolerance.none(), "docs", 10));
        assertThat(pkg.up().steps().get(0).inverse()).isInstanceOf(Inverse.Irreversible.class);
        assertThat(pkg.down().irreversible()).singleElement().asString().contains("was INVALID");
    }

    // ---- generated variants ----

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of("a\"b", "x y", "$zerodown$", "Mixed Case", "ü_ñ", "index", "i;--");
    }

    @Provide
    Arbitrary<String> kinds() {
        return Arbitraries.of("plain", "unique", "desc", "partial", "expression", "hash");
    }

    @Property(tries = 5, shrinking = ShrinkingMode.BOUNDED)
    void generatedVariantsRoundTrip(@ForAll("names") String table, @ForAll("names") String column, @ForAll("names") String index,
                                    @ForAll("kinds") String kind, @ForAll boolean dev) throws Exception {
        net.jqwik.api.Assume.that(!index.equals(table));
        String t = PgSql.quote(table);
        String col = PgSql.quote(column);
        String definition = switch (kind) {
            case "unique" -> "CREATE UNIQUE INDEX " + PgSql.quote(index) + " ON " + t + " (" + col + ")";
            case "desc" -> "CREATE INDEX " + PgSql.quote(index) + " ON " + t + " (" + col + " DESC, id)";
            case "partial" -> "CREATE INDEX " + PgSql.quote(index) + " ON " + t + " (" + col + ") WHERE " + col + " IS NOT NULL";
            case "expression" -> "CREATE INDEX " + PgSql.quote(index) + " ON " + t + " (lower(" + col + "))";
            case "hash" -> "CREATE INDEX " + PgSql.quote(index) + " ON " + t + " USING hash (" + col + ")";
            default -> "CREATE INDEX " + PgSql.quote(index) + " ON " + t + " (" + col + ")";
        };
        String ddl = "CREATE TABLE " + t + " (id bigint PRIMARY KEY, " + col + " text, kept text);\n" + definition + ";";
        MigrationPackage pkg = KeysFixtures.compile(Migration.on(table).dropIndex(index).plan(), ddl, 18,
                dev ? DowntimeTolerance.devOnly() : DowntimeTolerance.none(), table, 300);
        KeysFixtures.assertDownUndoesUpInMemory(pkg);
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.newest());
        try (Connection c = db.connect()) {
            execute(c, ddl, "INSERT INTO " + t + " SELECT g, 'V' || g, 'k' || g FROM generate_series(1, 300) g");
            Schema before = introspect(c);
            String data = checksum(c, table, "id", column, "kept");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(checksum(c, table, "id", column, "kept")).isEqualTo(data);
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, table, "id", column, "kept")).isEqualTo(data);
        }
    }
}
