package io.zerodown.plan;

/** The techniques a strategy combines. */
public enum Technique {
    DIRECT("direct statements"),
    EXPAND_CONTRACT("expand-contract"),
    SYNC_TRIGGER("sync trigger between old and new columns"),
    BATCHED_DML("batched DML"),
    CONCURRENT_INDEX("concurrent index build"),
    NOT_VALID_THEN_VALIDATE("NOT VALID constraint, validated separately"),
    MAINTENANCE_WINDOW("maintenance window"),
    SHADOW_TABLE("shadow table");

    private final String label;

    Technique(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
