package io.zerodown.plan;

import java.util.List;
import java.util.Objects;

/**
 * Section 4 of a package: the script that undoes the up script, when it is safe to run, and what
 * data it loses.
 *
 * @param script       the steps that undo the up script, in order
 * @param safeWhen     when running it is safe
 * @param dataLoss     what running it loses (empty when nothing)
 * @param irreversible steps of the package that cannot be undone, with the reason
 */
public record DownScript(Script script, String safeWhen, List<String> dataLoss, List<String> irreversible) {

    public DownScript {
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(safeWhen, "safeWhen");
        dataLoss = List.copyOf(dataLoss);
        irreversible = List.copyOf(irreversible);
    }
}
