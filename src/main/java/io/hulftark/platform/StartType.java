package io.hulftark.platform;

import java.util.Locale;
import java.util.Optional;

/** A service's start type. Only {@link #DEMAND} counts as "manual" for the kit (spec 5.2 step 4). */
public enum StartType {
    AUTO("auto"),
    DELAYED_AUTO("delayed-auto"),
    DEMAND("demand"),
    DISABLED("disabled");

    private final String word;

    StartType(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** Parses the words that the command platform's start-type command prints. */
    public static Optional<StartType> parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (StartType s : values()) {
            if (s.word.equals(t)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
