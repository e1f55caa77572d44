package io.zerodown.model.context;

/** The migration framework the package is rendered for. */
public enum Framework {
    /** Plain SQL files, run with {@code psql} (or the zerodown runner). */
    RAW_SQL
}
