package io.hulftark.kit;

import io.hulftark.hulft.AliveCheckProbe;
import io.hulftark.hulft.HulEnv;
import io.hulftark.hulft.HulEnvException;
import io.hulftark.hulft.HulEnvReader;
import io.hulftark.hulft.HulftCommands;
import io.hulftark.hulft.PortChecker;
import io.hulftark.hulft.PortProbe;
import io.hulftark.hulft.ProbeResult;
import io.hulftark.hulft.TcpProbe;
import io.hulftark.platform.CommandResult;
import io.hulftark.platform.CommandRunner;
import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ServiceControl;
import io.hulftark.platform.ServiceState;
import io.hulftark.platform.StartType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * The recovery kit: restore, remove, quickCheck and recover as the spec's section 5 lists their
 * steps, in that order and with its exit codes. What the original could not do, this does: every
 * command and probe is bounded, LKHULFT_TIMEOUT bounds the whole action, and a failed operation is
 * tried up to LKHULFT_RETRIES more times.
 */
public final class Kit {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;

    private static final Duration FIRST_POLL = Duration.ofMillis(20);
    private static final Duration MAX_POLL = Duration.ofMillis(500);
    private static final Duration FIRST_RETRY_PAUSE = Duration.ofMillis(500);
    private static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(5);

    private final KitParameters p;
    private final ServiceNames names;
    private final ServiceControl services;
    private final CommandRunner runner;
    private final ActionLocks locks;
    private final Reporter reporter;
    private final Timing timing;

    public Kit(KitParameters parameters, ServiceNames names, ServiceControl services, CommandRunner runner,
               ActionLocks locks, Reporter reporter, Timing timing) {
        this.p = parameters;
        this.names = names;
        this.services = services;
        this.runner = runner;
        this.locks = locks;
        this.reporter = reporter;
        this.timing = timing;
    }

    /** Runs one action on the resource {@code tag}; returns the exit code LifeKeeper gets. */
    public int run(Action action, String tag) {
        if (action == Action.DEEP_CHECK) {
            reporter.report(Message.DEEPCHECK_UNSUPPORTED);
            return EXIT_FAILED;
        }
        Deadline deadline = Deadline.after(p.timeout(), timing);
        int code;
        try (ActionLocks.Held ignored = locks.acquire(tag, deadline.remaining())) {
            code = new Run(action, tag, deadline).execute();
        } catch (ActionLocks.Busy e) {
            reporter.report(Message.LOCK_TIMEOUT, tag, p.timeout().toSeconds());
            debug(e.getMessage());
            code = EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = EXIT_FAILED;
        }
        if (code != EXIT_OK && action == Action.REMOVE && p.forceRemove()) {
            // Spec 7: a failed remove (a shared-disk fault, say) must not stop the failover.
            reporter.report(Message.REMOVE_FORCED);
            return EXIT_OK;
        }
        return code;
    }

    private void debug(String text) {
        if (p.debug()) {
            reporter.report(Message.DEBUG, text);
        }
    }

    /** The action's end came while a step was still running. */
    private static final class TimedOut extends RuntimeException {
        TimedOut() {
            super(null, null, false, false);
        }
    }

    /** One attempt of an operation: done, or failed with a reason and the spec message to give if it was the last. */
    private record Attempt(boolean ok, String reason, Runnable reportFailure) {
        static final Attempt OK = new Attempt(true, "", () -> { });
    }

    /** One action on one resource, with its deadline. */
    private final class Run {
        private final Action action;
        private final String tag;
        private final Deadline deadline;
        private String service;

        Run(Action action, String tag, Deadline deadline) {
            this.action = action;
            this.tag = tag;
            this.deadline = deadline;
        }

        int execute() {
            try {
                // Steps 1-2 of every action: the tag came from the command line; the service name from the tag.
                ServiceNames.Lookup found = names.lookup(tag);
                if (found instanceof ServiceNames.Lookup.Found f) {
                    service = f.service();
                } else {
                    return lookupFailed(found);
                }
                debug(action.word() + " of " + tag + " (service " + service + ")");
                if (!parametersUsable()) {
                    return EXIT_FAILED;
                }
                return switch (action) {
                    case RESTORE -> restore();
                    case REMOVE -> remove();
                    case QUICK_CHECK -> quickCheck();
                    case RECOVER -> recover();
                    case DEEP_CHECK -> throw new IllegalStateException("deepCheck is refused before a run");
                };
            } catch (TimedOut e) {
                reporter.report(Message.ACTION_TIMED_OUT, action.word(), service == null ? tag : service,
                        p.timeout().toSeconds());
                return EXIT_FAILED;
            } catch (PlatformException e) {
                reporter.report(Message.STATE_UNKNOWN, service, e.getMessage());
                return EXIT_FAILED;
            }
        }

        private int lookupFailed(ServiceNames.Lookup found) {
            if (found instanceof ServiceNames.Lookup.NoSuchResource r) {
                reporter.report(Message.NO_SUCH_RESOURCE, tag);
                debug(r.detail());
                return EXIT_OK; // spec 5.1/5.2 step 2: exit 0
            }
            if (found instanceof ServiceNames.Lookup.NoServiceName r) {
                reporter.report(Message.NO_SERVICE_NAME, tag);
                debug(r.detail());
                return EXIT_OK;
            }
            reporter.report(Message.LOOKUP_FAILED, tag, ((ServiceNames.Lookup.Failed) found).detail());
            return EXIT_FAILED;
        }

        /** $exe_path and $conf_file (51050016-18). remove does not need conf_file: it must work with the shared disk gone. */
        private boolean parametersUsable() {
            if (p.exePath().isEmpty() || p.confFile().isEmpty()) {
                reporter.report(Message.PATHS_NOT_SET);
                return false;
            }
            Path exe = p.exePath().get();
            if (!Files.isDirectory(exe)) {
                reporter.report(Message.EXE_PATH_BAD, exe);
                return false;
            }
            Path conf = p.confFile().get();
            if (action != Action.REMOVE && !(Files.isRegularFile(conf) && Files.isReadable(conf))) {
                reporter.report(Message.CONF_FILE_BAD, conf);
                return false;
            }
            HulftCommands commands = commands();
            if (action != Action.QUICK_CHECK && commands.serviceControl().isEmpty()) {
                reporter.report(Message.EXE_PATH_BAD, exe);
                reporter.report(Message.COMMAND_MISSING, "Neither utlsvcctl nor utlsvctl is in " + exe);
                return false;
            }
            if (action != Action.REMOVE && p.probe() == KitParameters.ProbeKind.UTLALIVECHECK
                    && commands.aliveCheck().isEmpty()) {
                reporter.report(Message.EXE_PATH_BAD, exe);
                reporter.report(Message.COMMAND_MISSING, "utlalivecheck is not in " + exe);
                return false;
            }
            return true;
        }

        // ---- 5.1 restore ----

        private int restore() {
            ServiceState state = settle(state());                                      // step 4
            if (state == ServiceState.RUNNING) {
                debug(service + " is already running");
                return EXIT_OK;
            }
            if (state == ServiceState.NOT_INSTALLED) {
                reporter.report(Message.NOT_INSTALLED, service);
                return EXIT_FAILED;
            }
            if (!withRetries("start of " + service, this::startOnce)) {                // steps 5-6
                return EXIT_FAILED;
            }
            return checkConfigAndPorts();                                              // steps 7-9
        }

        private Attempt startOnce() {
            CommandResult r = command(commands().startArgv());
            if (!r.ok()) {
                return new Attempt(false, "code = " + r.code(),
                        () -> reporter.report(Message.START_FAILED, service, r.code()));
            }
            ServiceState after = settle(state());
            if (after != ServiceState.RUNNING) {
                return new Attempt(false, "state " + after, () -> reporter.report(Message.NOT_RUNNING, service));
            }
            return Attempt.OK;
        }

        // ---- 5.2 remove ----

        private int remove() {
            demandStart();                                                             // step 4
            ServiceState state = settle(state());                                      // step 5
            if (state == ServiceState.STOPPED || state == ServiceState.NOT_INSTALLED) {
                debug(service + " is already stopped");
                return EXIT_OK;
            }
            return withRetries("stop of " + service, this::stopOnce) ? EXIT_OK : EXIT_FAILED; // steps 6-8
        }

        private void demandStart() {
            StartType type;
            try {
                type = services.startType(service, deadline.bound(p.commandBound()));
            } catch (PlatformException e) {
                checkDeadline();
                reporter.report(Message.START_TYPE_UNKNOWN, service, e.getMessage());
                return;
            }
            if (type == StartType.DEMAND) {
                return;
            }
            boolean changed = withRetries("change of the startup type of " + service, () -> {
                try {
                    services.setDemandStart(service, deadline.bound(p.commandBound()));
                    return Attempt.OK;
                } catch (PlatformException e) {
                    checkDeadline();
                    return new Attempt(false, e.getMessage(),
                            () -> reporter.report(Message.START_TYPE_NOT_CHANGED, service, e.getMessage()));
                }
            });
            if (changed) {
                reporter.report(Message.STARTUP_TYPE_CHANGED, service);
            }
        }

        private Attempt stopOnce() {
            CommandResult r = command(commands().stopArgv());
            if (!r.ok()) {
                return new Attempt(false, "code = " + r.code(),
                        () -> reporter.report(Message.STOP_FAILED, service, r.code()));
            }
            ServiceState after = settle(state());
            if (after != ServiceState.STOPPED && after != ServiceState.NOT_INSTALLED) {
                return new Attempt(false, "state " + after,
                        () -> reporter.report(Message.STILL_RUNNING, service, after));
            }
            return Attempt.OK;
        }

        // ---- 5.4 recover: remove, then restore ----

        private int recover() {
            if (remove() != EXIT_OK) {
                if (!p.forceRemove()) {
                    return EXIT_FAILED;
                }
                reporter.report(Message.REMOVE_FORCED);
            }
            return restore();
        }

        // ---- 5.3 quickCheck: restore's steps 6-9 ----

        private int quickCheck() {
            ServiceState state = settle(state());
            if (state != ServiceState.RUNNING) {
                reporter.report(Message.NOT_RUNNING, service);
                return EXIT_FAILED;
            }
            return checkConfigAndPorts();
        }

        // ---- shared steps ----

        /** Restore steps 7-9: read hulenv.cnf, then every port that is set must answer. */
        private int checkConfigAndPorts() {
            HulEnv env;
            try {
                env = HulEnvReader.read(p.confFile().orElseThrow());
            } catch (HulEnvException e) {
                reporter.report(Message.CONFIG_OPEN_FAILED);
                reporter.report(Message.CONFIG_DETAIL, e.getMessage());
                return EXIT_FAILED;
            }
            List<Integer> pending = new ArrayList<>(new LinkedHashSet<>(env.ports().values()));
            if (pending.isEmpty()) {
                debug("no port is set in " + p.confFile().get() + ": nothing to check");
                return EXIT_OK;
            }
            String host = p.probeHostFor(env);
            PortProbe probe = probe();
            List<ProbeResult> failed = List.of();
            for (int attempt = 1; attempt <= p.attempts(); attempt++) {
                checkDeadline();
                List<ProbeResult> results = PortChecker.checkAll(probe, host, pending,
                        deadline.bound(p.probeBound()));
                failed = results.stream().filter(r -> !r.ok()).toList();
                results.forEach(r -> debug("port " + r.port() + " on " + host + ": code " + r.code() + " in "
                        + r.latency().toMillis() + " ms" + (r.detail().isEmpty() ? "" : " (" + r.detail() + ")")));
                if (failed.isEmpty()) {
                    return EXIT_OK;
                }
                pending = failed.stream().map(ProbeResult::port).toList();
                if (attempt < p.attempts() && !deadline.expired()) {
                    reporter.report(Message.RETRYING, "check of port(s) " + pending, attempt, p.attempts(),
                            "code = " + failed.get(0).code());
                    pause(attempt);
                }
            }
            checkDeadline();
            failed.forEach(r -> reporter.report(Message.PORT_CHECK_FAILED, service, r.port(), r.code()));
            return EXIT_FAILED;
        }

        /** Runs an operation up to retries + 1 times; the spec's message is given only for the last failure. */
        private boolean withRetries(String what, Supplier<Attempt> operation) {
            for (int attempt = 1; ; attempt++) {
                checkDeadline();
                Attempt a = operation.get();
                if (a.ok()) {
                    return true;
                }
                if (attempt >= p.attempts() || deadline.expired()) {
                    checkDeadline();
                    a.reportFailure().run();
                    return false;
                }
                reporter.report(Message.RETRYING, what, attempt, p.attempts(), a.reason());
                pause(attempt);
            }
        }

        private CommandResult command(List<String> argv) {
            Duration bound = deadline.bound(p.commandBound());
            CommandResult r = runner.run(argv, bound);
            if (r.timedOut()) {
                reporter.report(Message.COMMAND_KILLED, String.join(" ", argv), seconds(bound));
                checkDeadline();
            } else if (r.failedToStart() != null) {
                debug(argv.get(0) + " could not be run: " + r.failedToStart());
            } else if (!r.ok()) {
                debug(argv.get(0) + " exited with " + r.exitCode() + ": " + r.firstLine());
            }
            return r;
        }

        private ServiceState state() {
            checkDeadline();
            return services.state(service, deadline.bound(p.commandBound()));
        }

        /** Waits out START_PENDING / STOP_PENDING, polling with back-off, within the command bound. */
        private ServiceState settle(ServiceState state) {
            Deadline bound = Deadline.after(deadline.bound(p.commandBound()), timing);
            Duration poll = FIRST_POLL;
            while (state.pending() && !bound.expired()) {
                sleep(bound.bound(poll));
                poll = min(poll.multipliedBy(2), MAX_POLL);
                state = state();
            }
            return state;
        }

        private void pause(int attempt) {
            Duration d = min(FIRST_RETRY_PAUSE.multipliedBy(1L << Math.min(attempt - 1, 10)), MAX_RETRY_PAUSE);
            sleep(deadline.bound(d));
            checkDeadline();
        }

        private void sleep(Duration d) {
            try {
                timing.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TimedOut();
            }
        }

        private void checkDeadline() {
            if (deadline.expired()) {
                throw new TimedOut();
            }
        }
    }

    private HulftCommands commands() {
        return new HulftCommands(p.exePath().orElseThrow(), p.windows());
    }

    private PortProbe probe() {
        return probe(p, runner);
    }

    /** The port probe the parameters name: a TCP connect, or HULFT's utlalivecheck from exe_path. */
    public static PortProbe probe(KitParameters p, CommandRunner runner) {
        if (p.probe() == KitParameters.ProbeKind.TCP) {
            return new TcpProbe();
        }
        if (p.exePath().isEmpty()) {
            return new PortProbe() { // the agent starts without exe_path and says why in every check
                @Override
                public ProbeResult probe(String host, int port, Duration bound) {
                    return ProbeResult.failure(port, "not started", Duration.ZERO, "hulftark.exe-path is not set");
                }

                @Override
                public String name() {
                    return "utlalivecheck";
                }
            };
        }
        return new AliveCheckProbe(new HulftCommands(p.exePath().get(), p.windows()), runner,
                KitParameters.ALIVECHECK_WAIT_SECONDS);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }
}
