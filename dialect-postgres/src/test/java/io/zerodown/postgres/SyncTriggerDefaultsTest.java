package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.execute;
import static io.zerodown.postgres.PgTestSupport.introspect;
import static io.zerodown.postgres.PgTestSupport.queryLong;
import static io.zerodown.postgres.PgTestSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.zerodown.Migration;
import io.zerodown.Zerodown;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.ReadPattern;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.context.Target;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sync triggers when a source column has a default: PostgreSQL fills the default in before the
 * trigger runs, so an INSERT by new code that leaves the source out must still be seen as new
 * code's (split, merge), and the copy of a rename must follow the new column; on 12 and 18.
 */
class SyncTriggerDefaultsTest {

    private static MigrationContext context(int major, String table) {
        return MigrationContext.builder().name("defaults").date(LocalDate.of(2026, 12, 7)).target(Target.postgres(major))
                .profile(table, TableProfile.of(1_000, 10, ReadPattern.MIXED)).downtime(DowntimeTolerance.none())
                .rollback(RollbackRequirement.reversibleFor(Duration.ofDays(7))).build();
    }

    private static MigrationPackage compile(MigrationPlan plan, String ddl, int major, String table) {
        return Zerodown.compile(plan, ddl, context(major, table));
    }

    static final String SPLIT_DDL = "CREATE TABLE people (id bigint PRIMARY KEY, full_name text NOT NULL DEFAULT 'anonymous', "
            + "label text DEFAULT current_user, token text DEFAULT md5(random()::text));";

    static MigrationPackage split(int major, String column) {
        return compile(Migration.on("people").splitColumn(column).atFirst(" ").into(column + "_first", column + "_last")
                .batched(100).plan(), SPLIT_DDL, major, "people");
    }

    @Test
    void goldenSplitOfAColumnWithADefault() {
        GoldenFiles.assertMatches("split_column/source_default.up.sql", split(18, "full_name").up().sql());
    }

    /** Split of a NOT NULL column with a constant default: new code's and old code's inserts are consistent both ways. */
    @Test
    void splitOfAColumnWithAConstantDefault() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = split(server.major(), "full_name");
            assertThat(pkg.risk().hazards()).noneMatch(h -> h.title().startsWith("Volatile default"));
            assertThat(pkg.notes()).anyMatch(n -> n.startsWith("full_name has the default 'anonymous'"));
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                execute(c, SPLIT_DDL, "INSERT INTO people (id, full_name) SELECT g, 'First' || g || ' Last' || g FROM generate_series(1, 50) g");
                Schema before = introspect(c);
                new StepRunner(c).run(pkg.up().steps());
                execute(c,
                        // new code: the parts only (full_name gets its default from PostgreSQL before the trigger runs)
                        "INSERT INTO people (id, full_name_first, full_name_last) VALUES (101, 'Grace', 'Hopper')",
                        "INSERT INTO people (id, full_name_first) VALUES (102, 'Cher')",
                        // new code writing the default's value as a name: still new code's, the parts win
                        "INSERT INTO people (id, full_name_first, full_name_last) VALUES (103, 'anonymous', 'Coward')",
                        // old code: full_name only, or nothing (the default)
                        "INSERT INTO people (id, full_name) VALUES (104, 'Ada Lovelace')",
                        "INSERT INTO people (id) VALUES (105)",
                        // transitional code writing both sides: kept as written
                        "INSERT INTO people (id, full_name, full_name_first, full_name_last) VALUES (106, 'Alan  Turing', 'Alan', 'Turing')",
                        // both sides, full_name explicitly equal to its default: treated as new code (documented)
                        "INSERT INTO people (id, full_name, full_name_first, full_name_last) VALUES (107, 'anonymous', 'Edsger', 'Dijkstra')",
                        // updates keep their semantics
                        "UPDATE people SET full_name_last = 'Murray Hopper' WHERE id = 101",
                        "UPDATE people SET full_name = 'Ada King' WHERE id = 104");
                assertThat(rows(c, "SELECT id, full_name, full_name_first, full_name_last FROM people WHERE id > 100 ORDER BY id"))
                        .containsExactly(row("101", "Grace Murray Hopper", "Grace", "Murray Hopper"), row("102", "Cher", "Cher", null),
                                row("103", "anonymous Coward", "anonymous", "Coward"), row("104", "Ada King", "Ada", "King"),
                                row("105", "anonymous", "anonymous", null), row("106", "Alan  Turing", "Alan", "Turing"),
                                row("107", "Edsger Dijkstra", "Edsger", "Dijkstra"));
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();

                new StepRunner(c).run(pkg.down().script().steps());
                assertThat(introspect(c)).isEqualTo(before);
                assertThat(rows(c, "SELECT full_name FROM people WHERE id IN (101, 102, 103) ORDER BY id"))
                        .as("new code's inserts reach old code").containsExactly(row("Grace Murray Hopper"), row("Cher"), row("anonymous Coward"));
            }
        }
    }

    /**
     * A stable default (current_user) is compared like a constant; a volatile one (md5(random()::text)) cannot be: the
     * generated value stays beside new code's parts, as the hazard says.
     */
    @Test
    void splitOfColumnsWithStableAndVolatileDefaults() throws Exception {
        PostgresServer server = PostgresServers.newest();
        MigrationPackage stable = split(server.major(), "label");
        MigrationPackage volatileDefault = split(server.major(), "token");
        assertThat(stable.risk().hazards()).noneMatch(h -> h.title().startsWith("Volatile default"));
        assertThat(volatileDefault.risk().hazards()).anyMatch(h -> h.title().equals("Volatile default on token")
                && h.detail().contains("md5(random()::text)"));
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
            execute(c, SPLIT_DDL, "INSERT INTO people (id) SELECT g FROM generate_series(1, 20) g");
            new StepRunner(c).run(stable.up().steps());
            new StepRunner(c).run(volatileDefault.up().steps());
            execute(c, "INSERT INTO people (id, label_first, label_last, token_first, token_last) VALUES (101, 'a', 'b', 'c', 'd')",
                    "INSERT INTO people (id) VALUES (102)");
            assertThat(rows(c, "SELECT label, label_first, label_last FROM people WHERE id = 101")).containsExactly(row("a b", "a", "b"));
            assertThat(queryLong(c, "SELECT count(*) FROM people WHERE id = 101 AND token = 'c d'"))
                    .as("a volatile default cannot be told from a written value: kept as written").isZero();
            assertThat(queryLong(c, "SELECT count(*) FROM people WHERE id = 102 AND label = current_user AND label_first = current_user "
                    + "AND token = token_first AND length(token) = 32")).as("old code's insert (the defaults) is split").isEqualTo(1);
        }
    }

    static final String MERGE_DDL = "CREATE TABLE people (id bigint PRIMARY KEY, first_name text NOT NULL DEFAULT 'anon', "
            + "last_name varchar(50) DEFAULT '', nick text DEFAULT md5(random()::text));";

    static MigrationPackage merge(int major, String... sources) {
        return compile(Migration.on("people").mergeColumns(sources).with(" ").into("full_name").batched(100).plan(), MERGE_DDL, major,
                "people");
    }

    /** Two-way merge of sources with constant defaults: new code's and old code's inserts are consistent both ways. */
    @Test
    void mergeOfColumnsWithConstantDefaults() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = merge(server.major(), "first_name", "last_name");
            assertThat(pkg.risk().hazards()).noneMatch(h -> h.title().startsWith("Volatile default"));
            assertThat(merge(server.major(), "nick", "last_name").risk().hazards())
                    .anyMatch(h -> h.title().equals("Volatile default on a source") && h.detail().startsWith("nick has the default"));
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                execute(c, MERGE_DDL, "INSERT INTO people (id, first_name, last_name) SELECT g, 'First' || g, 'Last' || g FROM generate_series(1, 50) g");
                Schema before = introspect(c);
                new StepRunner(c).run(pkg.up().steps());
                execute(c,
                        // new code: full_name only (the sources get 'anon' and '' from PostgreSQL)
                        "INSERT INTO people (id, full_name) VALUES (101, 'Grace Hopper')",
                        "INSERT INTO people (id, full_name) VALUES (102, 'Cher')",
                        // old code
                        "INSERT INTO people (id, first_name, last_name) VALUES (103, 'Ada', 'Lovelace')",
                        "INSERT INTO people (id) VALUES (104)",
                        "INSERT INTO people (id, last_name) VALUES (105, 'Smith')",
                        // transitional code writing both sides: kept as written
                        "INSERT INTO people (id, first_name, last_name, full_name) VALUES (106, 'Mary Ann', 'Evans', 'Mary Ann Evans')",
                        "UPDATE people SET full_name = 'Grace Brewster' WHERE id = 101",
                        "UPDATE people SET last_name = 'King' WHERE id = 103");
                assertThat(rows(c, "SELECT id, first_name, last_name, full_name FROM people WHERE id > 100 ORDER BY id"))
                        .containsExactly(row("101", "Grace", "Brewster", "Grace Brewster"), row("102", "Cher", null, "Cher"),
                                row("103", "Ada", "King", "Ada King"), row("104", "anon", "", "anon"),
                                row("105", "anon", "Smith", "anon Smith"), row("106", "Mary Ann", "Evans", "Mary Ann Evans"));
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();

                new StepRunner(c).run(pkg.down().script().steps());
                assertThat(introspect(c)).isEqualTo(before);
                assertThat(rows(c, "SELECT first_name, last_name FROM people WHERE id IN (101, 102) ORDER BY id"))
                        .as("new code's inserts reach old code").containsExactly(row("Grace", "Brewster"), row("Cher", null));
            }
        }
    }

    static final String RENAME_DDL = "CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL DEFAULT 'misc', "
            + "happened timestamptz NOT NULL DEFAULT clock_timestamp());";

    /**
     * Rename writes its own trigger function, where a non-NULL new column wins on INSERT: consistent with a constant
     * and with a volatile default, for new and old code.
     */
    @Test
    void renameOfColumnsWithDefaults() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage kind = compile(Migration.on("events").renameColumn("kind").to("category").plan(), RENAME_DDL, server.major(), "events");
            MigrationPackage happened = compile(Migration.on("events").renameColumn("happened").to("happened_at").plan(), RENAME_DDL,
                    server.major(), "events");
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                execute(c, RENAME_DDL, "INSERT INTO events (id) SELECT g FROM generate_series(1, 30) g");
                new StepRunner(c).run(kind.up().steps());
                new StepRunner(c).run(happened.up().steps());
                execute(c, "INSERT INTO events (id, category, happened_at) VALUES (101, 'login', '2020-01-01 00:00+00')",
                        "INSERT INTO events (id, kind, happened) VALUES (102, 'logout', '2021-01-01 00:00+00')",
                        "INSERT INTO events (id) VALUES (103)");
                assertThat(rows(c, "SELECT id, kind, category, happened = happened_at, happened_at = '2020-01-01 00:00+00' "
                        + "FROM events WHERE id > 100 ORDER BY id"))
                        .containsExactly(row("101", "login", "login", "t", "t"), row("102", "logout", "logout", "t", "f"),
                                row("103", "misc", "misc", "t", "f"));
                assertThat(queryLong(c, "SELECT count(*) FROM events WHERE kind IS DISTINCT FROM category OR happened IS DISTINCT FROM happened_at"))
                        .isZero();
            }
        }
    }

    private static List<String> row(String... values) {
        return Arrays.asList(values);
    }
}
