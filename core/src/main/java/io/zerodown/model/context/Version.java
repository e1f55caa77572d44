package io.zerodown.model.context;

/** A server version: major and minor (PostgreSQL 15.4 is {@code 15.4}, MySQL 8.0.36 is {@code 8.0.36}). */
public record Version(int major, int minor, int patch) implements Comparable<Version> {

    public Version {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version parts must not be negative");
        }
    }

    public static Version of(int major) {
        return new Version(major, 0, 0);
    }

    public static Version of(int major, int minor) {
        return new Version(major, minor, 0);
    }

    /** Parses {@code 15}, {@code 15.4} or {@code 8.0.36}. */
    public static Version parse(String text) {
        String[] parts = text.trim().split("\\.");
        if (parts.length == 0 || parts.length > 3) {
            throw new IllegalArgumentException("not a version: '" + text + "'");
        }
        int[] numbers = new int[3];
        try {
            for (int i = 0; i < parts.length; i++) {
                numbers[i] = Integer.parseInt(parts[i]);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a version: '" + text + "'", e);
        }
        return new Version(numbers[0], numbers[1], numbers[2]);
    }

    public boolean atLeast(int major) {
        return this.major >= major;
    }

    public boolean atLeast(Version other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(Version o) {
        if (major != o.major) {
            return Integer.compare(major, o.major);
        }
        if (minor != o.minor) {
            return Integer.compare(minor, o.minor);
        }
        return Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        if (minor == 0 && patch == 0) {
            return Integer.toString(major);
        }
        return patch == 0 ? major + "." + minor : major + "." + minor + "." + patch;
    }
}
