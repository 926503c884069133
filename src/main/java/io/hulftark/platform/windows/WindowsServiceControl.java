package io.hulftark.platform.windows;

import static io.hulftark.platform.windows.ScmApi.*;

import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ServiceControl;
import io.hulftark.platform.ServiceState;
import io.hulftark.platform.StartType;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Services through the Windows Service Control Manager. Every decision is here (state mapping,
 * start-type logic, waiting, error text); every Win32 call is behind {@link ScmApi}.
 *
 * <p>Each operation runs on a worker thread and the caller waits at most {@code bound}: an SCM
 * call cannot be interrupted, so on overrun the caller gets an exception while the worker
 * finishes the call and still closes its handles.
 */
public final class WindowsServiceControl implements ServiceControl {

    static final Duration FIRST_POLL = Duration.ofMillis(50);
    static final Duration MAX_POLL = Duration.ofSeconds(1);

    private static final ExecutorService CALLS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scm-call");
        t.setDaemon(true);
        return t;
    });

    /** How awaitSettled sleeps; a test replaces it with one that moves a fake clock. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final ScmApi scm;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;

    public WindowsServiceControl() {
        this(new JnaScm());
    }

    public WindowsServiceControl(ScmApi scm) {
        this(scm, System::nanoTime, d -> Thread.sleep(d.toMillis()));
    }

    WindowsServiceControl(ScmApi scm, LongSupplier nanoTime, Sleeper sleeper) {
        this.scm = scm;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    @Override
    public ServiceState state(String service, Duration bound) {
        // A service that does not exist is a state here (NOT_INSTALLED), not an error.
        return bounded(service, bound, () -> withService(service, SERVICE_QUERY_STATUS, () -> ServiceState.NOT_INSTALLED,
                svc -> {
                    try {
                        return map(scm.queryStatus(svc));
                    } catch (Win32Error e) {
                        throw failure("querying the state of", service, e);
                    }
                }));
    }

    /**
     * Polls {@link #state} until the service is no longer pending or {@code bound} has passed,
     * sleeping 50 ms, then twice as long each time up to 1 s. Returns the last state seen, which
     * is still pending if the bound passed first: the caller decides what that means. Each poll
     * may take up to 1 s even when less is left, so that the last look at the deadline is a real
     * one; only a hung SCM makes this overrun {@code bound}, by at most that second.
     */
    public ServiceState awaitSettled(String service, Duration bound) {
        long deadline = nanoTime.getAsLong() + bound.toNanos();
        Duration pause = FIRST_POLL;
        while (true) {
            ServiceState s = state(service, max(remaining(deadline), MAX_POLL));
            long left = deadline - nanoTime.getAsLong();
            if (!s.pending() || left <= 0) {
                return s;
            }
            try {
                sleeper.sleep(min(pause, Duration.ofNanos(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return s;
            }
            pause = min(pause.multipliedBy(2), MAX_POLL);
        }
    }

    /**
     * The start type. SERVICE_BOOT_START and SERVICE_SYSTEM_START are for drivers only (HULFT is
     * never one); they start with the system, so they count as {@link StartType#AUTO}.
     */
    @Override
    public StartType startType(String service, Duration bound) {
        return bounded(service, bound, () -> withService(service, SERVICE_QUERY_CONFIG, svc -> readStartType(service, svc)));
    }

    /** Spec 5.2 step 4: only when the start type is not already DEMAND, change it and nothing else. */
    @Override
    public void setDemandStart(String service, Duration bound) {
        bounded(service, bound, () -> withService(service,
                SERVICE_QUERY_CONFIG | SERVICE_CHANGE_CONFIG | SERVICE_QUERY_STATUS, svc -> {
                    if (readStartType(service, svc) == StartType.DEMAND) {
                        return null;
                    }
                    // The delayed-start flag is left as it is: the SCM only reads it for auto-start services.
                    try {
                        scm.changeConfig(svc, SERVICE_NO_CHANGE, SERVICE_DEMAND_START, SERVICE_NO_CHANGE);
                    } catch (Win32Error e) {
                        throw failure("changing the start type of", service, e);
                    }
                    return null;
                }));
    }

    static ServiceState map(int currentState) {
        return switch (currentState) {
            case SERVICE_RUNNING -> ServiceState.RUNNING;
            case SERVICE_STOPPED -> ServiceState.STOPPED;
            case SERVICE_START_PENDING, SERVICE_CONTINUE_PENDING -> ServiceState.START_PENDING;
            case SERVICE_STOP_PENDING, SERVICE_PAUSE_PENDING -> ServiceState.STOP_PENDING;
            default -> ServiceState.OTHER; // SERVICE_PAUSED, or a state newer than this code
        };
    }

    private StartType readStartType(String service, Handle svc) {
        int type;
        try {
            type = scm.queryStartType(svc);
        } catch (Win32Error e) {
            throw failure("querying the start type of", service, e);
        }
        return switch (type) {
            case SERVICE_AUTO_START, SERVICE_BOOT_START, SERVICE_SYSTEM_START -> {
                try {
                    yield type == SERVICE_AUTO_START && scm.queryDelayedAutoStart(svc) ? StartType.DELAYED_AUTO : StartType.AUTO;
                } catch (Win32Error e) {
                    throw failure("querying the delayed start of", service, e);
                }
            }
            case SERVICE_DEMAND_START -> StartType.DEMAND;
            case SERVICE_DISABLED -> StartType.DISABLED;
            default -> throw new PlatformException("Service '" + service + "' has start type " + type
                    + ", which hulft-ark does not know");
        };
    }

    private interface WithHandle<T> {
        T apply(Handle service);
    }

    /** Opens the manager and the service, runs {@code body}, and closes both whatever happens. */
    private <T> T withService(String service, int access, WithHandle<T> body) {
        return withService(service, access, null, body);
    }

    /** As above; {@code ifMissing} (when given) answers for a service that does not exist. */
    private <T> T withService(String service, int access, Supplier<T> ifMissing, WithHandle<T> body) {
        Handle manager = open(service);
        try {
            Handle svc;
            try {
                svc = scm.openService(manager, service, access);
            } catch (Win32Error e) {
                if (e.code() == Win32Error.ERROR_SERVICE_DOES_NOT_EXIST) {
                    if (ifMissing != null) {
                        return ifMissing.get();
                    }
                    throw new PlatformException("Service '" + service + "' does not exist (" + e.describe() + ")");
                }
                throw failure("opening", service, e);
            }
            try {
                return body.apply(svc);
            } finally {
                scm.close(svc);
            }
        } finally {
            scm.close(manager);
        }
    }

    private Handle open(String service) {
        try {
            return scm.openManager(SC_MANAGER_CONNECT);
        } catch (Win32Error e) {
            throw failure("connecting to the Service Control Manager for", service, e);
        }
    }

    static PlatformException failure(String doing, String service, Win32Error e) {
        String what = doing + " service '" + service + "' (" + e.describe() + ")";
        if (e.code() == Win32Error.ERROR_ACCESS_DENIED) {
            return new PlatformException("Access denied " + what + ": run hulft-ark as an administrator");
        }
        return new PlatformException("Failed " + what);
    }

    private interface Operation<T> {
        T run();
    }

    private <T> T bounded(String service, Duration bound, Operation<T> op) {
        if (service == null || service.isBlank()) {
            throw new PlatformException("No service name given");
        }
        Future<T> f = CALLS.submit(op::run);
        try {
            return f.get(Math.max(1, bound.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // The worker keeps going to the end of its SCM call and closes its handles then.
            throw new PlatformException("The Service Control Manager did not answer within "
                    + bound.toMillis() + " ms for service '" + service + "'");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("Interrupted while asking the Service Control Manager about '" + service + "'");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PlatformException p) {
                throw p;
            }
            // UnsatisfiedLinkError and the like: no SCM here (not Windows) or a broken JNA.
            throw new PlatformException("The Service Control Manager is not available (" + firstLine(cause) + ")", cause);
        }
    }

    /** "UnsatisfiedLinkError: Unable to load library 'Advapi32'": JNA's messages run to many lines. */
    static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? "" : t.getMessage().strip().lines().findFirst().orElse("");
        m = m.endsWith(":") ? m.substring(0, m.length() - 1) : m;
        return t.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
    }

    private Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - nanoTime.getAsLong()));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
