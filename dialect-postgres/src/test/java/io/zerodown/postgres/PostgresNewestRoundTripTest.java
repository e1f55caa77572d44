package io.zerodown.postgres;

import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.testing.DatabaseUnderTest;
import io.zerodown.testing.RoundTripContract;

/** The shared round-trip properties on the newest supported PostgreSQL. */
class PostgresNewestRoundTripTest implements RoundTripContract {

    @Override
    public DatabaseUnderTest database() {
        return new PostgresRoundTripSupport(PostgresServers.newest());
    }
}
