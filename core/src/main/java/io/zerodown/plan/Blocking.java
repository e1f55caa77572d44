package io.zerodown.plan;

/** What a lock stops other sessions from doing while it is held. */
public enum Blocking {
    NOTHING("blocks neither reads nor writes"),
    WRITES("blocks writes, not reads"),
    READS_AND_WRITES("blocks reads and writes");

    private final String description;

    Blocking(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
