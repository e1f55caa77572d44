package io.zerodown.model.context;

import java.time.Duration;

/** Durations written for people: {@code 30 days}, {@code 4 min 10 s}, {@code 120 ms}. */
public final class Durations {

    private Durations() {
    }

    public static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + " ms";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3_600) {
            return (s % 60 == 0) ? (s / 60) + " min" : (s / 60) + " min " + (s % 60) + " s";
        }
        if (s < 86_400) {
            long min = (s % 3_600) / 60;
            return min == 0 ? (s / 3_600) + " h" : (s / 3_600) + " h " + min + " min";
        }
        long days = s / 86_400;
        long hours = (s % 86_400) / 3_600;
        String unit = days == 1 ? " day" : " days";
        return hours == 0 ? days + unit : days + unit + " " + hours + " h";
    }
}
