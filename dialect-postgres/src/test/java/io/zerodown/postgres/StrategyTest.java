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
import io.zerodown.plan.RiskLevel;
import io.zerodown.plan.Step;
import io.zerodown.plan.Technique;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The strategy follows the inputs: downtime tolerance, table size and traffic. */
class StrategyTest {

    private static MigrationPackage compile(DowntimeTolerance downtime, long rows) {
        MigrationContext context = MigrationContext.builder().name("s").date(LocalDate.of(2026, 1, 1)).target(Target.postgres(15))
                .profile("users", TableProfile.of(rows, 200, ReadPattern.MOSTLY_READS))
                .downtime(downtime).rollback(RollbackRequirement.oneWay()).build();
        return Zerodown.compile(ReferenceCase.plan(), ReferenceCase.DDL, context);
    }

    private static PgLock lockOf(MigrationPackage pkg, Step.Kind kind) {
        Step step = pkg.up().steps().stream().filter(s -> s.kind() == kind).findFirst().orElseThrow();
        return (PgLock) step.locks().stream().map(LockClaim::mode).findFirst().orElseThrow();
    }

    @Test
    void noDowntimeOnALargeBusyTableGetsExpandContract() {
        MigrationPackage pkg = ReferenceCase.compile();
        assertThat(pkg.strategy().techniques()).containsExactly(Technique.EXPAND_CONTRACT, Technique.SYNC_TRIGGER,
                Technique.BATCHED_DML, Technique.CONCURRENT_INDEX);
        assertThat(pkg.up().steps()).extracting(Step::kind).containsExactly(Step.Kind.SCHEMA, Step.Kind.BACKFILL,
                Step.Kind.REPAIR, Step.Kind.INDEX_BUILD);
        assertThat(lockOf(pkg, Step.Kind.INDEX_BUILD)).isEqualTo(PgLock.SHARE_UPDATE_EXCLUSIVE);
        assertThat(pkg.up().blockingLockTime()).as("only catalog changes block").isZero();
        assertThat(pkg.risk().level()).isEqualTo(RiskLevel.MEDIUM);
    }

    @Test
    void aDevelopmentDatabaseGetsTheDirectStatements() {
        MigrationPackage pkg = compile(DowntimeTolerance.devOnly(), 8_000_000);
        assertThat(pkg.strategy().techniques()).containsExactly(Technique.DIRECT, Technique.SYNC_TRIGGER);
        assertThat(pkg.up().steps()).extracting(Step::kind).containsExactly(Step.Kind.SCHEMA, Step.Kind.DATA, Step.Kind.INDEX_BUILD);
        assertThat(lockOf(pkg, Step.Kind.INDEX_BUILD)).isEqualTo(PgLock.SHARE);
        assertThat(pkg.up().sql()).doesNotContain("CONCURRENTLY").doesNotContain("backfill_progress");
        assertThat(pkg.risk().level()).as("blocking is acceptable on a development database").isEqualTo(RiskLevel.LOW);
    }

    @Test
    void aMaintenanceWindowGetsTheDirectStatementsOnlyWhenTheyFit() {
        MigrationPackage fits = compile(DowntimeTolerance.maintenanceWindow(Duration.ofMinutes(30)), 8_000_000);
        assertThat(fits.strategy().techniques()).contains(Technique.DIRECT, Technique.MAINTENANCE_WINDOW);
        assertThat(fits.strategy().reasons()).anyMatch(r -> r.contains("which fits the 30 min maintenance window"));
        assertThat(fits.risk().level()).isEqualTo(RiskLevel.MEDIUM);

        // Each operation is decided on its own: the split (about 80 s) does not fit 30 s and goes online,
        // the plain index build (about 16 s) fits and runs in the window.
        MigrationPackage tooLong = compile(DowntimeTolerance.maintenanceWindow(Duration.ofSeconds(30)), 8_000_000);
        assertThat(tooLong.strategy().techniques()).contains(Technique.EXPAND_CONTRACT, Technique.BATCHED_DML, Technique.DIRECT);
        assertThat(tooLong.strategy().reasons()).anyMatch(r -> r.startsWith("Split users.full_name") && r.contains("longer than the 30 s maintenance window"));
        assertThat(tooLong.strategy().reasons()).anyMatch(r -> r.startsWith("Index users_last_name_idx") && r.contains("which fits the 30 s"));

        // 80 s and 16 s each fit 90 s, but not together: the split takes the window, the index gets what is left
        // (10 s), which is too short, so it is built concurrently.
        MigrationPackage shared = compile(DowntimeTolerance.maintenanceWindow(Duration.ofSeconds(90)), 8_000_000);
        assertThat(shared.strategy().reasons()).anyMatch(r -> r.startsWith("Split users.full_name") && r.contains("which fits the 1 min 30 s"));
        assertThat(shared.strategy().reasons()).anyMatch(r -> r.startsWith("Index users_last_name_idx")
                && r.contains("longer than the 10 s left of the 1 min 30 s maintenance window (earlier operations of this plan block "
                + "traffic for 1 min 20 s)"));
        assertThat(shared.strategy().techniques()).contains(Technique.CONCURRENT_INDEX);
        assertThat(shared.risk().level()).as("together they fit").isEqualTo(RiskLevel.MEDIUM);
    }

    @Test
    void aTableWithoutProfileIsAssumedLargeAndBusyAndSaysSo() {
        MigrationContext context = MigrationContext.builder().name("s").target(Target.postgres(15)).build();
        MigrationPackage pkg = Zerodown.compile(ReferenceCase.plan(), ReferenceCase.DDL, context);
        assertThat(pkg.strategy().techniques()).contains(Technique.EXPAND_CONTRACT);
        assertThat(pkg.risk().reasons()).anyMatch(r -> r.startsWith("no profile was given for table users: assumed large and busy"));
    }

    @Test
    void longRunningReadsRaiseTheRiskAndSayWhy() {
        MigrationContext context = MigrationContext.builder().name("s").target(Target.postgres(15))
                .profile("users", TableProfile.of(10_000, 1, ReadPattern.LONG_RUNNING_READS)).build();
        MigrationPackage pkg = Zerodown.compile(ReferenceCase.plan(), ReferenceCase.DDL, context);
        assertThat(pkg.risk().hazards()).anyMatch(h -> h.title().equals("Long-running reads on users") && h.level() == RiskLevel.MEDIUM);
        assertThat(pkg.risk().level()).isEqualTo(RiskLevel.MEDIUM);
        assertThat(pkg.risk().reasons()).contains("Long-running reads on users (MEDIUM)");
        MigrationContext quiet = MigrationContext.builder().name("s").target(Target.postgres(15))
                .profile("users", TableProfile.of(10_000, 1, ReadPattern.MOSTLY_READS)).build();
        assertThat(Zerodown.compile(ReferenceCase.plan(), ReferenceCase.DDL, quiet).risk().hazards())
                .noneMatch(h -> h.title().startsWith("Long-running reads"));
    }

    @Test
    void theContractWaitsForTheRollbackPeriod() {
        assertThat(ReferenceCase.compile().contract().sql()).contains("-- Run: no earlier than 2026-12-24 (the 30 days rollback period)");
        assertThat(compile(DowntimeTolerance.none(), 10).contract().sql()).contains("the change is one-way: no rollback period");
    }
}
