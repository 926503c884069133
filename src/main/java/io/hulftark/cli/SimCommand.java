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

    @Command(name = "fault", header = "Inject a fault into the simulated HULFT in DIR (or clear them).",
            description = "Faults: slow-start MILLIS, start-hang, start-fail CODE, stop-fail CODE, stop-hang, "
                    + "refuse-port PORT, crash; or clear.")
    static class FaultCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;

        @Parameters(index = "1", paramLabel = "FAULT")
        String fault;

        @Parameters(index = "2", arity = "0..1", paramLabel = "ARG")
        String arg;

        @Override
        public Integer call() throws IOException {
            SimInstallation sim = SimInstallation.open(dir);
            if (fault.toLowerCase(Locale.ROOT).equals("clear")) {
                sim.clearFaults();
                return ExitCodes.OK;
            }
            Fault f = Fault.parse(fault);
            if (f == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "unknown fault: " + fault);
            }
            if (f == Fault.CRASH) {
                sim.crash();
            } else {
                sim.fault(f, arg);
            }
            return ExitCodes.OK;
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
