package io.hulftark.lifekeeper;

import io.hulftark.kit.Action;

import java.util.Optional;

/**
 * The action from the launcher's own path: LifeKeeper places the one registered script under a
 * folder named {@code !restore}, {@code !remove}, {@code !quickCheck} (or {@code !quickchk}),
 * {@code !recover} or {@code !deepCheck}. Only a whole path segment counts, in either separator,
 * so a folder such as {@code C:\my!restore-tools} is not mistaken for one.
 */
public final class ScriptAction {

    private ScriptAction() {
    }

    public static Optional<Action> fromPath(String path) {
        Action found = null;
        for (String segment : path.split("[/\\\\]")) {
            if (!segment.startsWith("!")) {
                continue;
            }
            Optional<Action> a = Action.parse(segment.substring(1));
            if (a.isPresent()) {
                if (found != null && found != a.get()) {
                    return Optional.empty(); // two different actions in one path: refuse to guess
                }
                found = a.get();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The words accepted, for error messages. */
    public static String expected() {
        return "!restore, !remove, !quickCheck (or !quickchk), !recover or !deepCheck";
    }
}
