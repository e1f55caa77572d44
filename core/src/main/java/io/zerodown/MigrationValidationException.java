package io.zerodown;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown instead of producing any output when a migration cannot be compiled: it lists every
 * problem found, each with its location.
 */
public class MigrationValidationException extends RuntimeException {

    private final List<Problem> problems;

    public MigrationValidationException(List<Problem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String message(List<Problem> problems) {
        String header = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
        return "the migration cannot be compiled (" + header + "):\n"
                + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n"));
    }
}
