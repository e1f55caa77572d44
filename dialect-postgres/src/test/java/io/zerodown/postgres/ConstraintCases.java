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
import io.zerodown.run.StepFailedException;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** What the tests of the constraint operations share: contexts, compilation, golden rendering. */
final class ConstraintCases {

    private ConstraintCases() {
    }

    /** A context for PostgreSQL {@code major}, each table profiled with {@code rows} rows and 50 writes/s. */
    static MigrationContext context(int major, DowntimeTolerance downtime, long rows, String... tables) {
        MigrationContext.Builder builder = MigrationContext.builder()
                .name("constraints")
                .author("test@example.com")
                .date(LocalDate.of(2026, 1, 1))
                .target(Target.postgres(major))
                .downtime(downtime)
                .rollback(RollbackRequirement.reversibleFor(Duration.ofDays(7)));
        for (String table : tables) {
            builder.profile(table, TableProfile.of(rows, 50, ReadPattern.MIXED));
        }
        return builder.build();
    }

    static MigrationPackage compile(MigrationPlan plan, String ddl, int major, DowntimeTolerance downtime, long rows, String... tables) {
        return Zerodown.compile(plan, ddl, context(major, downtime, rows, tables));
    }

    /** Up, down and verification SQL of a package in one text, for a golden file. */
    static String golden(MigrationPackage pkg) {
        return "-- ════ up\n" + pkg.up().sql() + "\n-- ════ contract\n" + pkg.contract().sql() + "\n-- ════ down\n"
                + pkg.down().script().sql()
                + (pkg.down().contractDown().isEmpty() ? "" : "\n-- ════ contract-down\n" + pkg.down().contractDown().script().sql())
                + "\n-- ════ verification\n"
                + pkg.verification().stream().map(ConstraintCases::render).collect(Collectors.joining("\n"))
                + "\n-- ════ pre-checks of the operation\n"
                + pkg.execution().preChecks().stream().skip(4).map(ConstraintCases::render).collect(Collectors.joining("\n"))
                + (pkg.execution().checksBeforeSteps().isEmpty() ? "" : "\n-- ════ checks right before a step\n"
                + pkg.execution().checksBeforeSteps().stream().map(b -> "-- before " + b.stepId() + "\n" + render(b.check()))
                .collect(Collectors.joining("\n")));
    }

    private static String render(Check check) {
        return "-- " + check.description() + "\n-- expect: " + check.expected().describe() + "\n" + check.sql() + ";\n";
    }

    /** Runs the steps, and returns the notices the server sent while they ran (set client_min_messages to see DEBUG ones). */
    static List<String> runCollecting(Connection c, List<Step> steps) {
        List<String> notices = new ArrayList<>();
        new StepRunner(c, notices::add).run(steps);
        return notices;
    }

    /** The message of the failure of running the steps, or fails when they all succeed. */
    static String failureOf(Connection c, List<Step> steps) {
        try {
            new StepRunner(c).run(steps);
        } catch (StepFailedException e) {
            Throwable cause = e;
            StringBuilder text = new StringBuilder();
            while (cause != null) {
                text.append(cause.getMessage()).append('\n');
                cause = cause.getCause();
            }
            return text.toString();
        }
        throw new AssertionError("the steps were expected to fail");
    }

    static List<Step> ofKind(MigrationPackage pkg, Step.Kind kind) {
        return pkg.up().steps().stream().filter(s -> s.kind() == kind).toList();
    }
}
