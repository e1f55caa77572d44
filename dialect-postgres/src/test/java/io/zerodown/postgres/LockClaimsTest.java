package io.zerodown.postgres;

import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every statement of the reference package, on the oldest and the newest server: the lock each
 * step takes on each table is exactly the one its claim states, no step rewrites a table it does
 * not claim to rewrite, and the duration class (instant or proportional to rows) holds when the
 * table grows 50 times.
 */
class LockClaimsTest {

    static List<PostgresServer> servers() {
        return PostgresServers.oldestAndNewest();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("servers")
    void everyStepTakesTheLocksItClaims(PostgresServer server) throws Exception {
        PackageChecks.locksAndRoundTrip(server, ReferenceCaseOnServerTest::createUsers, ReferenceCase.compile(server.major()));
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("servers")
    void everyStepHasTheDurationClassItClaims(PostgresServer server) throws Exception {
        PackageChecks.durationClasses(server, rows -> c -> {
            PgTestSupport.execute(c, ReferenceCase.DDL, "INSERT INTO users (email, full_name) SELECT 'u' || g, 'First' || g || ' Last' || g "
                    + "FROM generate_series(1, " + rows + ") g");
        }, 4_000, 200_000, ReferenceCase.compile(server.major()));
    }
}
