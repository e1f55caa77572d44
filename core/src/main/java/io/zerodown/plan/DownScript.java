package io.zerodown.plan;

import java.util.List;
import java.util.Objects;

/**
 * Section 4 of a package: the script that undoes the up script, when it is safe to run, and what
 * data it loses; and, apart from it, the script that undoes the contract phase where its steps can
 * be undone at all.
 *
 * @param script        the steps that undo the up script, in order
 * @param safeWhen      when running it is safe
 * @param dataLoss      what running it loses (empty when nothing)
 * @param irreversible  steps of the package that this script does not undo, with the reason: up steps
 *                      that cannot be undone, and every contract step (irreversible ones with their
 *                      reason, the others pointing at {@code contractDown})
 * @param contractDown  the script that undoes the contract phase, after it has run (empty when no
 *                      contract step has an inverse)
 */
public record DownScript(Script script, String safeWhen, List<String> dataLoss, List<String> irreversible,
                         ContractDown contractDown) {

    public DownScript {
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(safeWhen, "safeWhen");
        dataLoss = List.copyOf(dataLoss);
        irreversible = List.copyOf(irreversible);
        Objects.requireNonNull(contractDown, "contractDown");
    }

    /**
     * The script that undoes the contract phase: the inverses of the contract steps that have one,
     * in reverse order. It runs only after the contract script (the down script no longer applies
     * then) and brings back what the contract removed, as far as each inverse can (a dropped
     * column comes back empty, for instance).
     *
     * @param script    the inverses of the contract steps, in reverse order (empty when none has one)
     * @param safeWhen  when running it is safe
     * @param dataLoss  what does not come back, one entry per lossy inverse (empty when nothing)
     * @param notUndone contract steps it does not undo (they cannot be undone), with the reason
     */
    public record ContractDown(Script script, String safeWhen, List<String> dataLoss, List<String> notUndone) {

        public ContractDown {
            Objects.requireNonNull(script, "script");
            Objects.requireNonNull(safeWhen, "safeWhen");
            dataLoss = List.copyOf(dataLoss);
            notUndone = List.copyOf(notUndone);
        }

        public boolean isEmpty() {
            return script.isEmpty();
        }
    }
}
