package io.zerodown.model.context;

import java.util.Locale;
import java.util.Objects;

/**
 * The database a migration is for: a dialect name ({@code postgresql}, {@code mysql},
 * {@code mariadb}, {@code sqlite}) and the server version.
 */
public record Target(String dialect, Version version) {

    public Target {
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(version, "version");
        dialect = dialect.toLowerCase(Locale.ROOT);
    }

    public static Target of(String dialect, String version) {
        return new Target(dialect, Version.parse(version));
    }

    /** PostgreSQL of that major version, e.g. {@code Target.postgres(15)}. */
    public static Target postgres(int major) {
        return new Target("postgresql", Version.of(major));
    }

    @Override
    public String toString() {
        return dialect + " " + version;
    }
}
