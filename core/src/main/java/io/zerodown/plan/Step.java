package io.zerodown.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One executable unit of a migration: its SQL, how it is sent, the locks it takes, what it does
 * to the schema, how it is undone, and what state it leaves behind if it is interrupted.
 *
 * <p>Every step is safe to run again after an interruption (its SQL is written to be re-run), so
 * a failed migration resumes by running the script again from the failed step.
 *
 * @param id            stable identifier, unique within a package ({@code users.split_full_name.backfill})
 * @param phase         the expand-contract phase it belongs to
 * @param kind          what sort of work it is
 * @param summary       one line for people
 * @param execution     in one transaction, or statement by statement outside any
 * @param statements    the SQL, in order
 * @param guard         a query returning one boolean: the step runs only when it is true
 * @param locks         the locks taken, per relation
 * @param estimate      the expected wall-clock time
 * @param effects       what it does to the schema
 * @param inverse       how it is undone
 * @param ifInterrupted the state a failure halfway leaves, and how to go on
 */
public record Step(String id, Phase phase, Kind kind, String summary, Execution execution, List<String> statements,
                   Optional<String> guard, List<LockClaim> locks, Duration estimate, List<SchemaChange> effects,
                   Inverse inverse, String ifInterrupted) {

    public Step {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(execution, "execution");
        statements = List.copyOf(statements);
        Objects.requireNonNull(guard, "guard");
        locks = List.copyOf(locks);
        Objects.requireNonNull(estimate, "estimate");
        effects = List.copyOf(effects);
        Objects.requireNonNull(inverse, "inverse");
        Objects.requireNonNull(ifInterrupted, "ifInterrupted");
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("step " + id + " has no statements");
        }
    }

    public static Builder builder(String id, Phase phase, Kind kind) {
        return new Builder(id, phase, kind);
    }

    /** The locks that block reads or writes of other sessions. */
    public List<LockClaim> blockingLocks() {
        return locks.stream().filter(l -> l.blocks() != Blocking.NOTHING).toList();
    }

    /** What sort of work a step does. */
    public enum Kind {
        /** Changes the schema (DDL). */
        SCHEMA,
        /** Fills data in batches, committing each. */
        BACKFILL,
        /** Changes data in one statement. */
        DATA,
        /** Builds an index (concurrently where the dialect can). */
        INDEX_BUILD,
        /** Cleans up what an earlier failed attempt left behind. */
        REPAIR,
        /** Checks a condition and stops the script when it does not hold. */
        CHECK
    }

    /** Assembles a {@link Step}; id, phase and kind first, the rest by name. */
    public static final class Builder {
        private final String id;
        private final Phase phase;
        private final Kind kind;
        private String summary = "";
        private Execution execution = Execution.IN_TRANSACTION;
        private final List<String> statements = new ArrayList<>();
        private Optional<String> guard = Optional.empty();
        private final List<LockClaim> locks = new ArrayList<>();
        private Duration estimate = Duration.ZERO;
        private final List<SchemaChange> effects = new ArrayList<>();
        private Inverse inverse = Inverse.nothing();
        private String ifInterrupted = "Nothing is changed: the step runs in one transaction, which rolls back as a whole.";

        private Builder(String id, Phase phase, Kind kind) {
            this.id = id;
            this.phase = phase;
            this.kind = kind;
        }

        public Builder summary(String summary) {
            this.summary = summary;
            return this;
        }

        public Builder execution(Execution execution) {
            this.execution = execution;
            return this;
        }

        public Builder statement(String sql) {
            this.statements.add(sql);
            return this;
        }

        public Builder statements(List<String> sql) {
            this.statements.addAll(sql);
            return this;
        }

        public Builder guard(String booleanQuery) {
            this.guard = Optional.of(booleanQuery);
            return this;
        }

        public Builder lock(LockClaim claim) {
            this.locks.add(claim);
            return this;
        }

        public Builder estimate(Duration estimate) {
            this.estimate = estimate;
            return this;
        }

        public Builder effect(SchemaChange change) {
            this.effects.add(change);
            return this;
        }

        public Builder effects(List<? extends SchemaChange> changes) {
            this.effects.addAll(changes);
            return this;
        }

        public Builder inverse(Inverse inverse) {
            this.inverse = inverse;
            return this;
        }

        public Builder ifInterrupted(String text) {
            this.ifInterrupted = text;
            return this;
        }

        public Step build() {
            return new Step(id, phase, kind, summary, execution, statements, guard, locks, estimate, effects,
                    inverse, ifInterrupted);
        }
    }
}
