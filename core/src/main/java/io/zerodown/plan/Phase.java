package io.zerodown.plan;

/**
 * The expand-contract timeline. Steps run phase by phase; the application changes between them
 * (see {@link AppChange}).
 */
public enum Phase {
    /** Additive, backward-compatible changes: new columns, sync triggers. Old code keeps working. */
    EXPAND("expand", "additive changes the running application does not notice"),
    /** Data is copied or computed in small committed batches while the application runs. */
    BACKFILL("backfill", "data filled in committed batches while the application runs"),
    /** Indexes built and constraints validated once the data is in place, without blocking writes. */
    BUILD("build", "indexes and constraint validation on the filled data, without blocking writes"),
    /** Old structures removed once no deployed code uses them (and the rollback period has passed). */
    CONTRACT("contract", "removal of old structures once no deployed code uses them");

    private final String label;
    private final String description;

    Phase(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }
}
