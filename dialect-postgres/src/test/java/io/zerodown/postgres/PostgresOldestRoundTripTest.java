package io.zerodown.postgres;

import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.testing.DatabaseUnderTest;
import io.zerodown.testing.RoundTripContract;

/** The shared round-trip properties on the oldest supported PostgreSQL. */
class PostgresOldestRoundTripTest implements RoundTripContract {

    @Override
    public DatabaseUnderTest database() {
        return new PostgresRoundTripSupport(PostgresServers.oldest());
    }
}
