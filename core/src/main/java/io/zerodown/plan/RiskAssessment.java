package io.zerodown.plan;

import java.util.List;
import java.util.Objects;

/**
 * Section 1 of a package: the overall level and its reasons, what could go wrong, the lock every
 * step takes, and what a failure halfway leaves behind.
 *
 * @param level   the overall level
 * @param reasons why the level is what it is
 * @param hazards what could go wrong, with mitigations
 * @param locks   every step with its locks, in script order
 */
public record RiskAssessment(RiskLevel level, List<String> reasons, List<Hazard> hazards, List<Step> locks) {

    public RiskAssessment {
        Objects.requireNonNull(level, "level");
        reasons = List.copyOf(reasons);
        hazards = List.copyOf(hazards);
        locks = List.copyOf(locks);
    }
}
