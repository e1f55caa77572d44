package io.zerodown.spi;

import io.zerodown.MigrationValidationException;
import io.zerodown.Problem;
import io.zerodown.model.context.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Finds the dialect for a target among those on the class path. */
public final class Dialects {

    private Dialects() {
    }

    /** Every dialect registered through {@link ServiceLoader}. */
    public static List<Dialect> available() {
        List<Dialect> dialects = new ArrayList<>();
        ServiceLoader.load(Dialect.class, Dialects.class.getClassLoader()).forEach(dialects::add);
        return dialects;
    }

    /**
     * The dialect that handles the target.
     *
     * @throws MigrationValidationException when none is on the class path, or it does not support the version
     */
    public static Dialect forTarget(Target target) {
        List<Dialect> dialects = available();
        Optional<Dialect> found = dialects.stream().filter(d -> d.handles(target.dialect())).findFirst();
        if (found.isEmpty()) {
            String names = dialects.isEmpty() ? "none (add zerodown-postgres, zerodown-mysql or zerodown-sqlite to the class path)"
                    : String.join(", ", dialects.stream().map(Dialect::name).toList());
            throw new MigrationValidationException(List.of(new Problem("target",
                    "no dialect for \"" + target.dialect() + "\"; available: " + names)));
        }
        Optional<String> versionProblem = found.get().versionProblem(target);
        if (versionProblem.isPresent()) {
            throw new MigrationValidationException(List.of(new Problem("target", versionProblem.get())));
        }
        return found.get();
    }
}
