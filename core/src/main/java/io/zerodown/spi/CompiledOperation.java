package io.zerodown.spi;

import io.zerodown.model.operation.Operation;
import io.zerodown.plan.AbortCriterion;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Check;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.Monitor;
import io.zerodown.plan.Step;
import io.zerodown.plan.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a dialect makes of one operation: the steps, and the advice that goes with them. Core
 * merges the compiled operations of a plan into one {@link io.zerodown.plan.MigrationPackage}.
 */
public record CompiledOperation(Operation operation, Strategy strategy, List<Step> steps, List<Check> verifications,
                                List<Hazard> hazards, List<Check> preChecks, List<Monitor> monitoring,
                                List<AbortCriterion> abortCriteria, List<AppChange> appChanges, List<String> notes) {

    public CompiledOperation {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(strategy, "strategy");
        steps = List.copyOf(steps);
        verifications = List.copyOf(verifications);
        hazards = List.copyOf(hazards);
        preChecks = List.copyOf(preChecks);
        monitoring = List.copyOf(monitoring);
        abortCriteria = List.copyOf(abortCriteria);
        appChanges = List.copyOf(appChanges);
        notes = List.copyOf(notes);
    }

    public static Builder builder(Operation operation, Strategy strategy) {
        return new Builder(operation, strategy);
    }

    /** Collects the parts of a {@link CompiledOperation}. */
    public static final class Builder {
        private final Operation operation;
        private final Strategy strategy;
        private final List<Step> steps = new ArrayList<>();
        private final List<Check> verifications = new ArrayList<>();
        private final List<Hazard> hazards = new ArrayList<>();
        private final List<Check> preChecks = new ArrayList<>();
        private final List<Monitor> monitoring = new ArrayList<>();
        private final List<AbortCriterion> abortCriteria = new ArrayList<>();
        private final List<AppChange> appChanges = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        private Builder(Operation operation, Strategy strategy) {
            this.operation = operation;
            this.strategy = strategy;
        }

        public Builder step(Step step) {
            steps.add(step);
            return this;
        }

        public Builder verify(Check check) {
            verifications.add(check);
            return this;
        }

        public Builder hazard(Hazard hazard) {
            hazards.add(hazard);
            return this;
        }

        public Builder preCheck(Check check) {
            preChecks.add(check);
            return this;
        }

        public Builder monitor(Monitor monitor) {
            monitoring.add(monitor);
            return this;
        }

        public Builder abortWhen(AbortCriterion criterion) {
            abortCriteria.add(criterion);
            return this;
        }

        public Builder appChange(AppChange change) {
            appChanges.add(change);
            return this;
        }

        public Builder note(String note) {
            notes.add(note);
            return this;
        }

        public CompiledOperation build() {
            return new CompiledOperation(operation, strategy, steps, verifications, hazards, preChecks, monitoring,
                    abortCriteria, appChanges, notes);
        }
    }
}
