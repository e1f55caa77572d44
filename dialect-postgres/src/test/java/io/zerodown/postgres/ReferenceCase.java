package io.zerodown.postgres;

import io.zerodown.Migration;
import io.zerodown.Zerodown;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.ReadPattern;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.context.Target;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.plan.MigrationPackage;
import java.time.Duration;
import java.time.LocalDate;

/**
 * The reference case of the project: split users.full_name on PostgreSQL 15 with no downtime,
 * reversible for 30 days, on 8 million rows at 200 writes/s.
 */
final class ReferenceCase {

    static final String DDL = "CREATE TABLE users (id BIGSERIAL PRIMARY KEY, email VARCHAR(255) UNIQUE NOT NULL, "
            + "full_name VARCHAR(255), created_at TIMESTAMPTZ DEFAULT NOW());";

    private ReferenceCase() {
    }

    static MigrationPlan plan() {
        return Migration.on("users")
                .splitColumn("full_name").atFirst(" ").into("first_name", "last_name").batched(10_000)
                .createIndex("last_name").where("last_name IS NOT NULL")
                .plan();
    }

    static MigrationContext context(int major) {
        return MigrationContext.builder()
                .name("split_full_name")
                .author("ana@example.com")
                .reason("Search by last name; personalisation by first name")
                .date(LocalDate.of(2026, 11, 24))
                .target(Target.postgres(major))
                .profile("users", TableProfile.of(8_000_000, 200, ReadPattern.MOSTLY_READS))
                .downtime(DowntimeTolerance.none())
                .rollback(RollbackRequirement.reversibleFor(Duration.ofDays(30)))
                .build();
    }

    static MigrationPackage compile() {
        return compile(15);
    }

    static MigrationPackage compile(int major) {
        return Zerodown.compile(plan(), DDL, context(major));
    }
}
