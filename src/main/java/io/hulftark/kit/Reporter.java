package io.hulftark.kit;

/** Where the kit's messages go: stderr and the platform's log in production, a list in tests. */
@FunctionalInterface
public interface Reporter {

    void report(Message message, Object... args);
}
