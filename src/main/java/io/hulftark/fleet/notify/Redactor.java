package io.hulftark.fleet.notify;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/** Removes every configured credential (secrets, passwords, URLs and their token-bearing parts) from a text. */
public final class Redactor implements UnaryOperator<String> {

    /** Shorter values are not searched for: they would mask ordinary words, and are no credential. */
    static final int MIN_LENGTH = 6;

    private final List<String> secrets;

    public Redactor(List<String> secrets) {
        // Longest first, so a URL goes before its own path.
        this.secrets = secrets.stream().filter(Objects::nonNull).filter(s -> s.length() >= MIN_LENGTH).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    @Override
    public String apply(String text) {
        String out = text == null ? "" : text;
        for (String s : secrets) {
            out = out.replace(s, "***");
        }
        return out;
    }
}
