package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.checksum;
import static io.zerodown.postgres.PgTestSupport.execute;
import static io.zerodown.postgres.PgTestSupport.introspect;
import static io.zerodown.postgres.PgTestSupport.queryLong;
import static io.zerodown.postgres.PgTestSupport.queryString;
import static io.zerodown.postgres.PgTestSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerodown.Migration;
import io.zerodown.MigrationValidationException;
import io.zerodown.Problem;
import io.zerodown.Zerodown;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.ReadPattern;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.context.Target;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.LockDuration;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
import io.zerodown.plan.TableWork;
import io.zerodown.plan.Technique;
import io.zerodown.postgres.testing.ComparableSchema;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/** Changing a column's type: in place, direct rewrite, online swap; on 12 and 18. */
class PostgresChangeColumnTypeTest {

    static final String DDL = "CREATE TABLE items (id bigserial PRIMARY KEY, code varchar(20) NOT NULL, price numeric(8,2), "
            + "qty integer NOT NULL DEFAULT 0, note text);\n"
            + "CREATE INDEX items_code ON items (code);\nCREATE INDEX items_qty ON items (qty DESC, id);";

    static final String KEYS_DDL = "CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL);\n"
            + "CREATE TABLE orders (id bigserial PRIMARY KEY, account_id integer NOT NULL REFERENCES accounts (id), total numeric(10,2));";

    static void setup(Connection c, int rows) throws SQLException {
        execute(c, DDL, "INSERT INTO items (code, price, qty, note) SELECT 'c' || g, g * 1.25, g % 1000, "
                + "CASE WHEN g % 3 = 0 THEN NULL ELSE 'n' || g END FROM generate_series(1, " + rows + ") g");
    }

    static void keysSetup(Connection c, int rows) throws SQLException {
        execute(c, KEYS_DDL, "INSERT INTO accounts (name) SELECT 'a' || g FROM generate_series(1, " + rows + ") g",
                "INSERT INTO orders (account_id, total) SELECT 1 + g % " + rows + ", g FROM generate_series(1, " + rows + ") g");
    }

    static MigrationContext context(int major, DowntimeTolerance downtime, long rows, String... tables) {
        MigrationContext.Builder b = MigrationContext.builder().name("change_type").author("ops@example.com")
                .date(LocalDate.of(2026, 12, 7)).target(Target.postgres(major)).downtime(downtime)
                .rollback(RollbackRequirement.reversibleFor(Duration.ofDays(7)));
        for (String table : tables.length == 0 ? new String[] {"items"} : tables) {
            b.profile(table, TableProfile.of(rows, 100, ReadPattern.MIXED));
        }
        return b.build();
    }

    static MigrationPackage inPlace(int major) {
        return Zerodown.compile(Migration.on("items").changeType("code", "varchar(40)").plan(), DDL,
                context(major, DowntimeTolerance.none(), 5_000_000));
    }

    static MigrationPackage direct(int major) {
        return Zerodown.compile(Migration.on("items").changeType("qty", "bigint").plan(), DDL,
                context(major, DowntimeTolerance.devOnly(), 5_000_000));
    }

    static MigrationPackage online(int major, int batch) {
        return Zerodown.compile(Migration.on("items").changeType("qty", "bigint").batched(batch).plan(), DDL,
                context(major, DowntimeTolerance.none(), 5_000_000));
    }

    static MigrationPackage keysDirect(int major) {
        return Zerodown.compile(Migration.on("accounts").changeType("id", "bigint").plan(), KEYS_DDL,
                context(major, DowntimeTolerance.devOnly(), 1_000_000, "accounts", "orders"));
    }

    /** In memory: up then contract gives the package's schema after; down undoes up exactly. */
    static void assertDownUndoesUpInMemory(MigrationPackage pkg) {
        Schema up = PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps());
        assertThat(PackageChecks.simulate(up, pkg.contract().steps())).as("simulated up and contract").isEqualTo(pkg.schemaAfter());
        assertThat(PackageChecks.simulate(up, pkg.down().script().steps())).as("down undoes up in memory").isEqualTo(pkg.schemaBefore());
    }

    /** Guards of the online steps are true in a normal run; only an INVALID index must be forced for a repair step. */
    static final PackageChecks.GuardForcer GUARDS = (c, step) -> {
        if (step.kind() == Step.Kind.REPAIR) {
            PackageChecks.INVALID_INDEX.force(c, step);
        }
    };

    @Test
    void goldenFiles() {
        MigrationPackage inPlace = inPlace(15);
        MigrationPackage direct = direct(15);
        MigrationPackage online = online(15, 10_000);
        MigrationPackage keys = keysDirect(15);
        for (MigrationPackage pkg : List.of(inPlace, direct, online, keys)) {
            assertDownUndoesUpInMemory(pkg);
        }
        assertThat(inPlace.strategy().techniques()).containsExactly(Technique.DIRECT);
        assertThat(inPlace.up().blockingLockTime()).isZero();
        assertThat(direct.up().steps()).singleElement().satisfies(s -> assertThat(s.locks()).singleElement()
                .satisfies(l -> assertThat(l.work()).isEqualTo(TableWork.REWRITE)));
        assertThat(online.strategy().techniques()).containsExactly(Technique.EXPAND_CONTRACT, Technique.SYNC_TRIGGER,
                Technique.BATCHED_DML, Technique.CONCURRENT_INDEX, Technique.NOT_VALID_THEN_VALIDATE);
        assertThat(online.up().blockingLockTime()).isZero();
        GoldenFiles.assertMatches("change_column_type/in_place.sql", ConstraintCases.golden(inPlace));
        GoldenFiles.assertMatches("change_column_type/direct.sql", ConstraintCases.golden(direct));
        GoldenFiles.assertMatches("change_column_type/online_12_to_17.sql", ConstraintCases.golden(online));
        GoldenFiles.assertMatches("change_column_type/online_18.sql", ConstraintCases.golden(online(18, 10_000)));
        GoldenFiles.assertMatches("change_column_type/key_direct.sql", ConstraintCases.golden(keys));
    }

    @Test
    void locksAndRoundTrip() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            PackageChecks.locksAndRoundTrip(server, c -> setup(c, 1_500), inPlace(server.major()), GUARDS);
            PackageChecks.locksAndRoundTrip(server, c -> setup(c, 1_500), direct(server.major()), GUARDS);
            PackageChecks.locksAndRoundTrip(server, c -> setup(c, 1_500), online(server.major(), 400), GUARDS);
            PackageChecks.locksAndRoundTrip(server, c -> keysSetup(c, 500), keysDirect(server.major()), GUARDS);
        }
    }

    @Test
    void durationClasses() throws Exception {
        PostgresServer newest = PostgresServers.newest();
        PackageChecks.durationClasses(newest, n -> c -> setup(c, n), 2_000, 100_000, inPlace(18));
        PackageChecks.durationClasses(newest, n -> c -> setup(c, n), 2_000, 100_000, direct(18));
        PackageChecks.durationClasses(newest, n -> c -> setup(c, n), 2_000, 60_000, online(18, 20_000));
    }
}
