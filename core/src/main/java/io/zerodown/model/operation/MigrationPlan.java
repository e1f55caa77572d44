package io.zerodown.model.operation;

import java.util.List;

/** The operations a migration performs, in the order the author gave them. Built by {@code Migration}. */
public record MigrationPlan(List<Operation> operations) {

    public MigrationPlan {
        operations = List.copyOf(operations);
    }
}
