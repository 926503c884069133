package io.hulftark.kit;

import java.util.Locale;
import java.util.Optional;

/** The actions LifeKeeper can run. deepCheck exists only to be refused (spec: deepCheck is left empty). */
public enum Action {
    RESTORE("restore"),
    REMOVE("remove"),
    QUICK_CHECK("quickCheck"),
    RECOVER("recover"),
    DEEP_CHECK("deepCheck");

    private final String word;

    Action(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** restore, remove, quickCheck (or LifeKeeper's short {@code quickchk}), recover, deepCheck; any case. */
    public static Optional<Action> parse(String s) {
        String w = s.toLowerCase(Locale.ROOT);
        if (w.equals("quickchk")) {
            return Optional.of(QUICK_CHECK);
        }
        for (Action a : values()) {
            if (a.word.toLowerCase(Locale.ROOT).equals(w)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
