package io.zerodown.plan;

import java.util.List;

/**
 * Section 5 of a package: what to check before starting (and, for operations that follow others
 * on the same table, right before their first step), what to watch while it runs, and when to
 * stop and roll back.
 */
public record ExecutionPlan(List<Check> preChecks, List<CheckBeforeStep> checksBeforeSteps, List<Monitor> monitoring,
                            List<AbortCriterion> abortCriteria, List<String> howToRetry) {

    public ExecutionPlan {
        preChecks = List.copyOf(preChecks);
        checksBeforeSteps = List.copyOf(checksBeforeSteps);
        monitoring = List.copyOf(monitoring);
        abortCriteria = List.copyOf(abortCriteria);
        howToRetry = List.copyOf(howToRetry);
    }
}
