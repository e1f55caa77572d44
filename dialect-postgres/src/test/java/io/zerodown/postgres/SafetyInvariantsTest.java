package io.zerodown.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerodown.Zerodown;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.ReadPattern;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.context.Target;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
import io.zerodown.testing.RoundTripCase;
import io.zerodown.testing.RoundTripGenerators;
import io.zerodown.testing.TableSpec;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * The promises of a package for a table that must stay online, over generated sequences of every
 * kind of operation on busy tables of millions of rows, checked on the compiled steps (the lock
 * tests check that the claims are what the server does):
 * <ul>
 *   <li>no step of the up or contract script blocks reads or writes for time that grows with the table;</li>
 *   <li>every statement that takes ACCESS EXCLUSIVE, EXCLUSIVE, SHARE ROW EXCLUSIVE or SHARE on an
 *       existing table runs under {@code lock_timeout}, with retries;</li>
 *   <li>a step that takes such a lock takes no slow lock in the same transaction.</li>
 * </ul>
 */
class SafetyInvariantsTest {

    @Provide
    Arbitrary<RoundTripCase> cases() {
        return RoundTripGenerators.cases();
    }

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void anOnlinePackageNeverHoldsABlockingLockForLong(@ForAll("cases") RoundTripCase c, @ForAll("majors") int major) {
        MigrationPackage pkg = compile(c, major, DowntimeTolerance.none(), 5_000_000);
        List<Step> steps = new ArrayList<>(pkg.up().steps());
        steps.addAll(pkg.contract().steps());
        for (Step step : steps) {
            for (LockClaim claim : step.locks()) {
                assertThat(claim.blocksForLong()).as("step %s claims %s", step.id(), claim.describe()).isFalse();
            }
            boolean blocking = step.locks().stream().anyMatch(claim -> ((PgLock) claim.mode()).needsLockTimeout());
            if (blocking) {
                assertThat(String.join("\n", step.statements())).as("step %s takes a blocking lock", step.id())
                        .contains("lock_timeout");
                assertThat(step.locks()).as("step %s: nothing slow under its blocking lock", step.id())
                        .allMatch(claim -> !(claim.duration() instanceof io.zerodown.plan.LockDuration.ProportionalToRows));
            }
        }
    }

    /** In a maintenance window, direct statements are chosen only while together they fit in it. */
    @Property(tries = 200, shrinking = ShrinkingMode.BOUNDED)
    void aWindowGetsOnlyDirectStatementsThatFitInIt(@ForAll("cases") RoundTripCase c, @ForAll("majors") int major,
                                                    @ForAll("windowMinutes") int minutes, @ForAll("rowCounts") long rows) {
        Duration window = Duration.ofMinutes(minutes);
        MigrationPackage pkg = compile(c, major, DowntimeTolerance.maintenanceWindow(window), rows);
        Duration total = Duration.ZERO;
        for (Step step : pkg.up().steps()) {
            total = total.plus(step.locks().stream().filter(LockClaim::blocksForLong)
                    .map(claim -> ((io.zerodown.plan.LockDuration.ProportionalToRows) claim.duration()).estimate())
                    .max(Duration::compareTo).orElse(Duration.ZERO));
        }
        assertThat(total).as("the up script's steps together block traffic in a %s window", window).isLessThanOrEqualTo(window);
    }

    @Provide
    Arbitrary<Integer> windowMinutes() {
        return Arbitraries.of(1, 5, 30, 240);
    }

    @Provide
    Arbitrary<Long> rowCounts() {
        return Arbitraries.of(10_000L, 1_000_000L, 50_000_000L, 2_000_000_000L);
    }

    @Provide
    Arbitrary<Integer> majors() {
        return Arbitraries.integers().between(12, 18);
    }

    /** The generated plan on busy tables of {@code rows} rows each. */
    private static MigrationPackage compile(RoundTripCase c, int major, DowntimeTolerance downtime, long rows) {
        MigrationContext.Builder context = MigrationContext.builder()
                .name("invariants")
                .date(LocalDate.of(2026, 1, 1))
                .target(Target.postgres(major))
                .downtime(downtime)
                .rollback(c.rollback() instanceof RollbackRequirement.OneWay ? c.rollback() : RollbackRequirement.reversibleFor(Duration.ofDays(7)));
        PostgresRoundTripSupport db = new PostgresRoundTripSupport(null);
        StringBuilder ddl = new StringBuilder();
        for (TableSpec table : c.tables()) {
            context.profile(table.name(), TableProfile.of(rows, 300, ReadPattern.MIXED));
            ddl.append(db.createTable(table)).append('\n');
        }
        return Zerodown.compile(c.plan(), ddl.toString(), context.build());
    }
}
