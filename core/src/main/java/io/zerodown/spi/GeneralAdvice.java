package io.zerodown.spi;

import io.zerodown.plan.AbortCriterion;
import io.zerodown.plan.Check;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.Monitor;
import java.util.List;

/**
 * Advice a dialect gives for a whole package, whatever the operations: pre-checks such as long
 * transactions, monitoring of locks and replication, how to retry a failed step.
 */
public record GeneralAdvice(List<Check> preChecks, List<Monitor> monitoring, List<AbortCriterion> abortCriteria,
                            List<Hazard> hazards, List<String> howToRetry) {

    public GeneralAdvice {
        preChecks = List.copyOf(preChecks);
        monitoring = List.copyOf(monitoring);
        abortCriteria = List.copyOf(abortCriteria);
        hazards = List.copyOf(hazards);
        howToRetry = List.copyOf(howToRetry);
    }
}
