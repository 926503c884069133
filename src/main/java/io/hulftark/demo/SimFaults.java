package io.hulftark.demo;

import io.hulftark.sim.Fault;
import io.hulftark.sim.SimInstallation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** Faults on one node's simulated HULFT, through the simulator's own fault machinery. */
public final class SimFaults implements FaultTarget {

    private final SimInstallation sim;

    public SimFaults(SimInstallation sim) {
        this.sim = sim;
    }

    @Override
    public void crash() {
        sim.crash();
    }

    @Override
    public int refusePort() {
        // rcvport is the one every HULFT has: the port the other side sends files to
        int port = sim.ports().values().iterator().next();
        sim.fault(Fault.REFUSE_PORT, Integer.toString(port));
        return port;
    }

    @Override
    public void hangStart() {
        sim.fault(Fault.START_HANG);
    }

    @Override
    public void startService() {
        try {
            // As an operator would at the console: the simulator's utlsvcctl, from an argument array.
            Process p = new ProcessBuilder(sim.utlsvcctl().toString(), "-c", "start")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("utlsvcctl -c start of " + sim.home() + " did not end within 30 s");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + sim.utlsvcctl() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public java.nio.file.Path makeConfUnreadable() {
        sim.fault(Fault.CONF_UNREADABLE);
        return sim.confFile();
    }

    @Override
    public void clearFaults() {
        sim.clearFaults();
    }
}
