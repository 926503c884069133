package io.hulftark.cli;

import io.hulftark.sim.Fault;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "sim", header = "A simulated HULFT for trying the kit by hand: lay one out, inject faults, stop it.",
        subcommands = {SimCommand.Create.class, SimCommand.FaultCommand.class, SimCommand.Stop.class})
public class SimCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", header = "Lay out a simulated HULFT in DIR and print the settings that point the kit at it.",
            showDefaultValues = true)
    static class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "The installation folder (created).")
        Path dir;

        @Option(names = "--tag", defaultValue = "hulft", description = "The stand-in LifeKeeper resource's tag.")
        String tag;

        @Option(names = "--service", defaultValue = SimSpec.DEFAULT_SERVICE_NAME, description = "The service name.")
        String service;

        @Override
        public Integer call() throws IOException {
            SimSpec.Builder b = SimSpec.builder().serviceName(service).resource(tag, service);
            for (String key : SimSpec.PORT_KEYS) {
                try (ServerSocket s = new ServerSocket(0)) {
                    b.port(key, s.getLocalPort());
                }
            }
            SimInstallation sim = SimInstallation.create(dir.toAbsolutePath(), b.build());
            PrintWriter out = spec.commandLine().getOut();
            out.println("# Simulated HULFT \"" + sim.serviceName() + "\", ports " + sim.ports()
                    + "; start it with: " + sim.utlsvcctl() + " -c start");
            out.println("# Settings for config/application.properties (or -D...):");
            SimSettings.of(sim, sim.home().resolve("state")).forEach((k, v) -> out.println(k + "=" + v));
            return ExitCodes.OK;
        }
    }

    @Command(name = "fault", header = "Inject a fault into the simulated HULFT in DIR, or undo faults (clear).",
            description = {"Service faults (kept until cleared): slow-start MILLIS (the start waits), start-hang, "
                    + "start-fail CODE, stop-fail CODE, stop-hang, refuse-port PORT (the running service closes it); "
                    + "crash kills the service at once.",
                    "Node faults (a standby that could not take over, a drifted node; they stay until cleared): "
                    + "conf-unreadable (hulenv.cnf, the conf_file, becomes a folder: unreadable, for root too), "
                    + "port-held [PORT] (another process listens on PORT, default rcvport, while HULFT is stopped "
                    + "here), drift [SECONDS] (LKHULFT_TIMEOUT in this node's LifeKeeper defaults changes; default: "
                    + "60 s more).",
                    "clear undoes every fault; clear FAULT undoes one.",
                    "Example: sim fault DIR conf-unreadable; sim fault DIR clear conf-unreadable"})
    static class FaultCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "The simulated installation (as sim create made it).")
        Path dir;

        @Parameters(index = "1", paramLabel = "FAULT", completionCandidates = FaultWords.class,
                description = "One of: ${COMPLETION-CANDIDATES}.")
        String fault;

        @Parameters(index = "2", arity = "0..1", paramLabel = "ARG",
                description = "The fault's argument; after clear, the fault to undo.")
        String arg;

        @Override
        public Integer call() throws IOException {
            boolean clear = fault.toLowerCase(Locale.ROOT).equals("clear");
            Fault f = Fault.parse(clear ? (arg == null ? "" : arg) : fault);
            if (f == null && !(clear && arg == null)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "unknown fault: "
                        + (clear ? arg : fault) + " (known: " + Fault.synopsis() + "; or clear [FAULT])");
            }
            if (!clear && arg != null && !f.takesArgument()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), f.word() + " takes no argument");
            }
            if (!clear && arg == null && f.takesArgument() && !f.argumentOptional()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), f.word() + " needs an argument: "
                        + f.argumentHint());
            }
            SimInstallation sim = SimInstallation.open(dir);
            if (clear) {
                if (f == null) {
                    sim.clearFaults();
                } else if (!sim.clearFault(f)) {
                    spec.commandLine().getOut().println(f.word() + " was not set");
                }
                return ExitCodes.OK;
            }
            try {
                sim.fault(f, arg);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            return ExitCodes.OK;
        }
    }

    /** The FAULT words for --help and completion: every fault, then clear. */
    static final class FaultWords implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            java.util.List<String> words = new java.util.ArrayList<>();
            for (Fault f : Fault.values()) {
                words.add(f.word());
            }
            words.add("clear");
            return words.iterator();
        }
    }

    @Command(name = "stop", header = "Kill whatever the simulated HULFT in DIR runs.")
    static class Stop implements Callable<Integer> {
        @Parameters(paramLabel = "DIR")
        Path dir;

        @Override
        public Integer call() throws IOException {
            SimInstallation.open(dir).stopNow();
            return ExitCodes.OK;
        }
    }
}
