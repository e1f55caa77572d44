package io.zerodown.postgres;

import io.zerodown.Zerodown;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.ReadPattern;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.context.Target;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.plan.Check;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
import java.time.Duration;
import java.time.LocalDate;
import java.util.stream.Collectors;

/** What the tests of the key and index operations share: contexts, compilation, golden rendering. */
final class KeysFixtures {

    private KeysFixtures() {
    }

    static MigrationContext context(int major, DowntimeTolerance downtime, String table, long rows) {
        return MigrationContext.builder()
                .name("keys")
                .author("ops@example.com")
                .date(LocalDate.of(2026, 11, 24))
                .target(Target.postgres(major))
                .profile(table, TableProfile.of(rows, 50, ReadPattern.MIXED))
                .downtime(downtime)
                .rollback(RollbackRequirement.reversibleFor(Duration.ofDays(7)))
                .build();
    }

    static MigrationPackage compile(MigrationPlan plan, String ddl, int major, DowntimeTolerance downtime, String table, long rows) {
        return Zerodown.compile(plan, ddl, context(major, downtime, table, rows));
    }

    /** The up and down scripts and the checks of a package, under {@code <dir>/<variant>.*}; and its down undoing its up in memory. */
    static void assertGolden(String dir, String variant, MigrationPackage pkg) {
        assertDownUndoesUpInMemory(pkg);
        org.assertj.core.api.Assertions.assertThat(pkg.contract().steps()).as("nothing waits for the contract phase").isEmpty();
        GoldenFiles.assertMatches(dir + "/" + variant + ".up.sql", pkg.up().sql());
        GoldenFiles.assertMatches(dir + "/" + variant + ".down.sql", pkg.down().script().sql());
        GoldenFiles.assertMatches(dir + "/" + variant + ".checks.sql", "-- pre-checks\n" + pkg.execution().preChecks().stream()
                .map(KeysFixtures::render).collect(Collectors.joining("\n")) + "\n-- verification\n"
                + pkg.verification().stream().map(KeysFixtures::render).collect(Collectors.joining("\n")));
    }

    private static String render(Check check) {
        return "-- " + check.description() + "\n-- expect: " + check.expected().describe() + "\n" + check.sql() + ";\n";
    }

    /** In memory: the up steps' effects give the package's schema after, and the down steps' effects undo them exactly. */
    static void assertDownUndoesUpInMemory(MigrationPackage pkg) {
        io.zerodown.model.schema.Schema up = PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps());
        org.assertj.core.api.Assertions.assertThat(up).as("simulated up").isEqualTo(pkg.schemaAfter());
        org.assertj.core.api.Assertions.assertThat(PackageChecks.simulate(up, pkg.down().script().steps())).as("down undoes up in memory")
                .isEqualTo(pkg.schemaBefore());
    }

    private static final java.util.Map<Integer, io.zerodown.postgres.testing.TestDatabase> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * One database per server for this test run, emptied (schema public dropped and created anew,
     * other sessions ended) before each use: creating a database takes up to a second on a busy
     * machine. Not to be closed by the caller.
     */
    static io.zerodown.postgres.testing.TestDatabase emptyDatabase(io.zerodown.postgres.testing.PostgresServer server) throws Exception {
        io.zerodown.postgres.testing.TestDatabase db = SHARED.computeIfAbsent(server.major(), m -> server.createDatabase());
        try (java.sql.Connection c = db.connect()) {
            PgTestSupport.execute(c, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND pid <> pg_backend_pid()", "DROP SCHEMA public CASCADE", "CREATE SCHEMA public");
        }
        return db;
    }

    static Step step(MigrationPackage pkg, String idSuffix) {
        return pkg.up().steps().stream().filter(s -> s.id().endsWith(idSuffix)).findFirst()
                .orElseThrow(() -> new AssertionError("no up step ending with " + idSuffix));
    }
}
