package io.hulftark.ocf;

import io.hulftark.hulft.HulftCommands;
import io.hulftark.kit.Action;
import io.hulftark.kit.Kit;
import io.hulftark.kit.KitParameters;
import io.hulftark.kit.Message;
import io.hulftark.kit.Reporter;
import io.hulftark.kit.ServiceNames;
import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ServiceState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The OCF resource agent's actions on the kit: start is restore, stop is remove, monitor is
 * quickCheck, each run by the kit with its bounds, retries, messages and per-resource lock; this
 * class adds only what OCF asks beyond the kit — telling "cleanly stopped" (7) from "failed" (1),
 * and a missing installation (5) from wrong parameters (6) — and maps the kit's outcome onto OCF.
 * Start and stop are idempotent because restore of a running service and remove of a stopped one
 * succeed (spec 5.1 step 4, 5.2 step 5).
 */
public final class OcfAgent {

    /** What the kit says when this node lacks something: HULFT's folder, a command, hulenv.cnf, the service. */
    private static final Set<Message> NOT_INSTALLED = EnumSet.of(Message.EXE_PATH_BAD, Message.COMMAND_MISSING,
            Message.CONF_FILE_BAD, Message.NOT_INSTALLED);

    private final OcfNode node;

    public OcfAgent(OcfNode node) {
        this.node = node;
    }

    /** Brings HULFT into service: the kit's restore. */
    public OcfResult start(OcfSettings s, Reporter to) {
        Recorder r = new Recorder(to, s.debug());
        if (unusableService(s, r)) {
            return r.result(OcfCode.ERR_CONFIGURED);
        }
        return r.result(outcome(kit(Action.RESTORE, s, r), r));
    }

    /**
     * Takes HULFT out of service: the kit's remove, never forced to success. A service this node
     * does not have, or a stopped one on a node without HULFT's commands, is stopped: nothing to
     * do, and no reason to fence.
     */
    public OcfResult stop(OcfSettings s, Reporter to) {
        Recorder r = new Recorder(to, s.debug());
        if (unusableService(s, r)) {
            return r.result(OcfCode.ERR_CONFIGURED);
        }
        try {
            ServiceState state = node.services().state(s.service(), firstOf(s.commandTimeout(), s.actionTimeout()));
            if (state == ServiceState.NOT_INSTALLED
                    || state == ServiceState.STOPPED && !installationProblems(s, false).isEmpty()) {
                r.debug(s.service() + " is " + state + " and cannot be started from here: nothing to stop");
                return r.result(OcfCode.SUCCESS);
            }
        } catch (PlatformException e) {
            r.debug("the state of " + s.service() + " cannot be told before the stop: " + e.getMessage());
        }
        return r.result(outcome(kit(Action.REMOVE, s, r), r));
    }

    /**
     * Running (0), cleanly stopped (7), or failed (1): the service's state first, then, when it
     * runs, the kit's quickCheck (the service runs and every port answers). One method from the
     * parameters to the code and the messages, so that another caller (the node agent) can answer
     * it in-process. A stopped service says 7 even where hulenv.cnf (on the shared disk) is absent,
     * as Pacemaker's probes of the standby nodes expect.
     */
    public OcfResult monitor(OcfSettings s, Reporter to) {
        Recorder r = new Recorder(to, s.debug());
        if (unusableService(s, r)) {
            return r.result(OcfCode.ERR_CONFIGURED);
        }
        ServiceState state;
        try {
            state = node.services().state(s.service(), firstOf(s.commandTimeout(), s.actionTimeout()));
        } catch (PlatformException e) {
            r.report(Message.STATE_UNKNOWN, s.service(), e.getMessage());
            return r.result(OcfCode.ERR_GENERIC);
        }
        if (state == ServiceState.STOPPED) {
            r.debug(s.service() + " is stopped");
            return r.result(OcfCode.NOT_RUNNING);
        }
        if (state == ServiceState.NOT_INSTALLED) {
            r.report(Message.NOT_INSTALLED, s.service());
            return r.result(OcfCode.ERR_INSTALLED);
        }
        return r.result(outcome(kit(Action.QUICK_CHECK, s, r), r));
    }

    /** What start needs of this node: exe_path with its commands, and a readable conf_file. */
    public OcfResult validate(OcfSettings s, Reporter to) {
        Recorder r = new Recorder(to, s.debug());
        if (unusableService(s, r)) {
            return r.result(OcfCode.ERR_CONFIGURED);
        }
        List<Problem> problems = installationProblems(s, true);
        problems.forEach(p -> r.report(p.message(), p.args()));
        return r.result(problems.isEmpty() ? OcfCode.SUCCESS : OcfCode.ERR_INSTALLED);
    }

    /** Every action reads its parameters afresh, so a changed non-unique parameter needs no restart. */
    public OcfResult reload(OcfSettings s, Reporter to) {
        Recorder r = new Recorder(to, s.debug());
        if (unusableService(s, r)) {
            return r.result(OcfCode.ERR_CONFIGURED);
        }
        r.debug("reload of " + s.resource() + ": every action reads its parameters afresh; nothing to do");
        return r.result(OcfCode.SUCCESS);
    }

    /** A service name this node's service manager cannot take is a wrong parameter, not a failure to retry. */
    private boolean unusableService(OcfSettings s, Recorder r) {
        return node.serviceNameProblem(s.service()).map(why -> {
            r.report(Message.OCF_PARAMETER_BAD, "OCF_RESKEY_service=" + OcfParameters.shown(s.service()) + ": " + why);
            return true;
        }).orElse(false);
    }

    private int kit(Action action, OcfSettings s, Reporter r) {
        ServiceNames names = tag -> new ServiceNames.Lookup.Found(s.service());
        return node.run(action, s.kitParameters(node.windows()), names, s.tag(), r);
    }

    /** The kit's exit code and messages as OCF's code. */
    private static OcfCode outcome(int kitExit, Recorder seen) {
        if (kitExit == Kit.EXIT_OK) {
            return OcfCode.SUCCESS;
        }
        if (seen.messages.contains(Message.PATHS_NOT_SET)) {
            return OcfCode.ERR_CONFIGURED;
        }
        if (seen.messages.stream().anyMatch(NOT_INSTALLED::contains)) {
            return OcfCode.ERR_INSTALLED;
        }
        return OcfCode.ERR_GENERIC;
    }

    private record Problem(Message message, Object... args) { }

    /** The kit's own checks of exe_path and conf_file (spec 51050017, 51050018), without acting. */
    private List<Problem> installationProblems(OcfSettings s, boolean withConf) {
        List<Problem> out = new ArrayList<>();
        Path exe = s.exePath();
        if (!Files.isDirectory(exe)) {
            out.add(new Problem(Message.EXE_PATH_BAD, exe));
        } else {
            HulftCommands commands = new HulftCommands(exe, node.windows());
            if (commands.serviceControl().isEmpty()) {
                out.add(new Problem(Message.EXE_PATH_BAD, exe));
                out.add(new Problem(Message.COMMAND_MISSING, "Neither utlsvcctl nor utlsvctl is in " + exe));
            } else if (s.probe() == KitParameters.ProbeKind.UTLALIVECHECK && commands.aliveCheck().isEmpty()) {
                out.add(new Problem(Message.EXE_PATH_BAD, exe));
                out.add(new Problem(Message.COMMAND_MISSING, "utlalivecheck is not in " + exe));
            }
        }
        Path conf = s.confFile();
        if (withConf && !(Files.isRegularFile(conf) && Files.isReadable(conf))) {
            out.add(new Problem(Message.CONF_FILE_BAD, conf));
        }
        return out;
    }

    private static Duration firstOf(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Passes every message on and keeps it, so the result carries what was said. */
    private static final class Recorder implements Reporter {
        private final Reporter to;
        private final boolean debug;
        final List<Message> messages = new ArrayList<>();
        final List<String> lines = new ArrayList<>();

        Recorder(Reporter to, boolean debug) {
            this.to = to;
            this.debug = debug;
        }

        @Override
        public synchronized void report(Message message, Object... args) {
            messages.add(message);
            lines.add(message.line(args));
            to.report(message, args);
        }

        void debug(String text) {
            if (debug) {
                report(Message.DEBUG, text);
            }
        }

        synchronized OcfResult result(OcfCode code) {
            return new OcfResult(code, lines);
        }
    }
}
