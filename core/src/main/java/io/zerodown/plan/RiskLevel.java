package io.zerodown.plan;

/** How likely and how bad an outage is if the plan is followed as given. */
public enum RiskLevel {
    LOW, MEDIUM, HIGH;

    public RiskLevel max(RiskLevel other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
