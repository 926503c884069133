package io.hulftark.platform;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The commands one kit run started, where that run shares its process with others (the node agent answering a
 * launcher's check): the run's watchdog then ends only these, never the agent's other children. Without a scope
 * (the one-shot CLI) the watchdog ends every child of the process, as it always did.
 */
public final class ProcessScope {

    private static final InheritableThreadLocal<ProcessScope> CURRENT = new InheritableThreadLocal<>();

    private final Set<ProcessHandle> started = ConcurrentHashMap.newKeySet();

    /** Opens a new scope on this thread (and the threads it starts from now on); {@link #close()} ends it. */
    public static ProcessScope open() {
        ProcessScope scope = new ProcessScope();
        CURRENT.set(scope);
        return scope;
    }

    public static void close() {
        CURRENT.remove();
    }

    public static Optional<ProcessScope> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    static void noteStarted(ProcessHandle process) {
        ProcessScope scope = CURRENT.get();
        if (scope != null) {
            scope.started.add(process);
        }
    }

    /** What a watchdog must end: this scope's commands that still run, or every child of the process. */
    public static List<ProcessHandle> toKill() {
        ProcessScope scope = CURRENT.get();
        return scope == null ? ProcessHandle.current().children().toList()
                : scope.started.stream().filter(ProcessHandle::isAlive).toList();
    }
}
