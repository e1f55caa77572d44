package io.zerodown.plan;

import java.util.List;
import java.util.Objects;

/**
 * Section 2 of a package: the techniques used and why, derived from the table profile, the
 * downtime tolerance and the rollback requirement.
 *
 * @param techniques the techniques, in the order they come into play
 * @param reasons    why these and not others
 */
public record Strategy(List<Technique> techniques, List<String> reasons) {

    public Strategy {
        techniques = techniques.stream().distinct().toList();
        reasons = List.copyOf(reasons);
        Objects.requireNonNull(techniques);
    }

    public boolean uses(Technique technique) {
        return techniques.contains(technique);
    }
}
