package io.zerodown.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerodown.Migration;
import io.zerodown.MigrationValidationException;
import io.zerodown.Problem;
import io.zerodown.Zerodown;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.Target;
import io.zerodown.model.operation.MigrationPlan;
import org.junit.jupiter.api.Test;

/** Bad input gets every problem at once, with its location, and no output. */
class PostgresValidationTest {

    private static MigrationContext context(Target target) {
        return MigrationContext.builder().name("bad").target(target).build();
    }

    @Test
    void everyProblemOfThePlanIsReportedTogetherWithItsOperation() {
        MigrationPlan plan = Migration.on("users")
                .splitColumn("fullname").atFirst(" ").into("email", "last_name").batched(0)
                .createIndex("last_name").where("nickname IS NOT NULL")
                .on("accounts").createIndex("id")
                .plan();
        assertThatThrownBy(() -> Zerodown.compile(plan, ReferenceCase.DDL, context(Target.postgres(15))))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .containsExactly(
                                "operation 1 (split users.fullname into email, last_name at the first ' '): batch size must be at least 1, got 0",
                                "operation 1 (split users.fullname into email, last_name at the first ' '): unknown column \"fullname\" in table \"users\" (did you mean \"full_name\"?)",
                                "operation 1 (split users.fullname into email, last_name at the first ' '): column \"email\" already exists in table \"users\"; choose another name, or drop it first",
                                "operation 2 (create index users_last_name_idx on users): unknown column \"last_name\" in table \"users\"",
                                "operation 2 (create index users_last_name_idx on users): WHERE clause \"nickname IS NOT NULL\": unknown column \"nickname\" in table \"users\"",
                                "operation 3 (create index accounts_id_idx on accounts): unknown table \"accounts\""));
    }

    @Test
    void postgresSpecificProblemsComeWithTheDialectFreeOnes() {
        MigrationPlan plan = Migration.on("users")
                .splitColumn("created_at").atFirst(" ").into("a", "b")
                .createIndex("email").using("hash").unique().named("x".repeat(64))
                .plan();
        assertThatThrownBy(() -> Zerodown.compile(plan, ReferenceCase.DDL, context(Target.postgres(15))))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly(
                                "column \"created_at\" is timestamp with time zone; only text columns (text, character varying, character) can be split",
                                "the new columns must have a text type; got timestamp with time zone",
                                "the new columns must have a text type; got timestamp with time zone",
                                "index name \"" + "x".repeat(64) + "\" is longer than 63 bytes; PostgreSQL would silently cut it. Choose a shorter one with named(…)",
                                "only btree indexes can be unique on PostgreSQL; got hash"));
    }

    @Test
    void helperObjectsOfEarlierOperationsInThePlanAreTakenIntoAccount() {
        // Both splits need a sync trigger on full_name until their contract phase: the names collide, so the
        // second is refused up front instead of failing halfway through the up script.
        MigrationPlan plan = Migration.on("users")
                .splitColumn("full_name").atFirst(" ").into("first_name", "last_name").keepSource()
                .splitColumn("full_name").atLast(" ").into("given", "family")
                .plan();
        assertThatThrownBy(() -> Zerodown.compile(plan, ReferenceCase.DDL, context(Target.postgres(15))))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .containsExactly("operation 2 (split users.full_name into given, family at the last ' '): a trigger or function "
                                + "named \"zd_sync_users_full_name\" already exists: an earlier operation of this plan creates it (one split "
                                + "per column until its contract phase has run; split the plan into two migrations), or an earlier run of "
                                + "this split left it (give the current schema as it is before the migration, or finish/undo that run first)"));
    }

    @Test
    void anOperationCannotComputeFromAColumnAnEarlierOneIsStillFilling() {
        MigrationPlan plan = Migration.on("users")
                .splitColumn("full_name").atFirst(" ").into("first_name", "last_name").keepSource()
                .mergeColumns("first_name", "email").with(" ").into("label").keepSources()
                .backfill("full_name").with("coalesce(full_name, email)")
                .plan();
        assertThatThrownBy(() -> Zerodown.compile(plan, ReferenceCase.DDL, context(Target.postgres(15))))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .containsExactly("operation 2 (merge users.first_name, email into label): column \"first_name\" is computed by "
                                + "operation 1 (split users.full_name into first_name, last_name at the first ' ') until this migration is "
                                + "complete, so this operation cannot compute from it yet: run it in a later migration, once that one's "
                                + "contract phase has run"));
    }

    @Test
    void anExistingColumnIsRedefinedByOneOperationPerMigration() {
        // set NOT NULL runs in the build phase and drop NOT NULL in the expand phase: as written, the second would run first
        MigrationPlan plan = Migration.on("users")
                .backfill("full_name").with("coalesce(full_name, email)")
                .setNotNull("full_name")
                .dropNotNull("full_name")
                .addColumn("nickname", "text").defaultValue("'none'")
                .dropDefault("nickname")
                .plan();
        assertThatThrownBy(() -> Zerodown.compile(plan, ReferenceCase.DDL, context(Target.postgres(15))))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .as("a column the plan adds may be changed again")
                        .containsExactly("operation 3 (drop not null on users.full_name): column \"full_name\" is already changed by "
                                + "operation 2 (set not null on users.full_name); the steps run phase by phase, not in the order written, "
                                + "so a second change of the same column in one migration could run first: combine them, or make this "
                                + "change in a later migration"));
    }

    @Test
    void aNameAnEarlierOperationFreesOnlyInItsContractPhaseIsNotFreeYet() {
        // the split drops full_name in its contract phase; until then a new full_name cannot be added
        MigrationPlan plan = Migration.on("users")
                .splitColumn("full_name").atFirst(" ").into("first_name", "last_name")
                .addColumn("full_name", "text")
                .plan();
        assertThatThrownBy(() -> Zerodown.compile(plan, ReferenceCase.DDL, context(Target.postgres(15))))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .containsExactly("operation 2 (add column users.full_name text): column \"full_name\" already exists on \"users\" "
                                + "while the up script runs: an earlier operation of this plan keeps what it replaces (a column, a table, "
                                + "a trigger) until its contract phase; make this change in a later migration"));
    }

    @Test
    void aSourceTheContractPhaseDropsMustNotBeNeededByAnIndex() {
        MigrationPlan plan = Migration.on("users")
                .createIndex("full_name").named("users_full_name_idx")
                .splitColumn("full_name").atFirst(" ").into("first_name", "last_name")
                .plan();
        assertThatThrownBy(() -> Zerodown.compile(plan, ReferenceCase.DDL, context(Target.postgres(15))))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly("column \"full_name\" of table \"users\", which the contract phase drops, is used by the index "
                                + "\"users_full_name_idx\", which DROP COLUMN would drop silently; drop the index first "
                                + "(dropIndex(\"users_full_name_idx\")), or keep it (keepSource())"));
        Zerodown.compile(Migration.on("users").createIndex("full_name").named("users_full_name_idx")
                .splitColumn("full_name").atFirst(" ").into("first_name", "last_name").keepSource().plan(), ReferenceCase.DDL,
                context(Target.postgres(15)));
    }

    @Test
    void aTableWithoutPrimaryKeyCannotBeBackfilledByKey() {
        MigrationPlan plan = Migration.on("logs").splitColumn("line").atFirst(":").into("level", "message").plan();
        assertThatThrownBy(() -> Zerodown.compile(plan, "CREATE TABLE logs (line text);", context(Target.postgres(15))))
                .hasMessageContaining("table \"logs\" has no primary key; the batched backfill walks the primary key");
    }

    @Test
    void unparsableDdlNamesTheStatementAndLine() {
        String ddl = "CREATE TABLE a (id bigint PRIMARY KEY);\n\nCREATE TABLE b (id bigint PRIMARY KEY,);\nCREATE VIEW v AS SELECT 1;\n";
        assertThatThrownBy(() -> Zerodown.compile(Migration.on("a").createIndex("id").plan(), ddl, context(Target.postgres(15))))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::location)
                        .containsExactly("DDL statement 2 (line 3)", "DDL statement 3 (line 4)"));
    }

    @Test
    void unsupportedVersionsAndDialectsAreRefused() {
        MigrationPlan plan = Migration.on("users").createIndex("email").plan();
        assertThatThrownBy(() -> Zerodown.compile(plan, ReferenceCase.DDL, context(Target.postgres(11))))
                .hasMessageContaining("PostgreSQL 11 is not supported; zerodown compiles for PostgreSQL 12 to 18");
        assertThatThrownBy(() -> Zerodown.compile(plan, ReferenceCase.DDL, context(Target.postgres(19))))
                .hasMessageContaining("PostgreSQL 19 is not supported");
        assertThatThrownBy(() -> Zerodown.compile(plan, ReferenceCase.DDL, context(Target.of("oracle", "19"))))
                .hasMessageContaining("no dialect for \"oracle\"; available: ");
    }

    @Test
    void aProfileForAnUnknownTableIsAMistake() {
        MigrationContext context = MigrationContext.builder().name("p").target(Target.postgres(15))
                .profile("user", io.zerodown.model.context.TableProfile.unknown()).build();
        assertThatThrownBy(() -> Zerodown.compile(Migration.on("users").createIndex("email").plan(), ReferenceCase.DDL, context))
                .hasMessageContaining("a profile is given for table \"user\", which is neither in the schema nor in the plan");
    }
}
