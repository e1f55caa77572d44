package io.zerodown.plan;

import java.util.Objects;

/**
 * Something that could go wrong, how bad it would be, and what the plan does about it.
 *
 * @param level      how serious it is once the mitigation is in place
 * @param title      short name of the hazard
 * @param detail     what happens
 * @param mitigation what the plan (or the operator) does about it
 */
public record Hazard(RiskLevel level, String title, String detail, String mitigation) {

    public Hazard {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(mitigation, "mitigation");
    }
}
