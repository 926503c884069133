package io.hulftark.sim;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * A simulated HULFT installation on disk: {@code etc/hulenv.cnf}, the HULFT commands and the
 * command platform's service-control commands in {@code bin/}, and a stand-in LifeKeeper root
 * ({@code lkroot/}) with {@code bin/ins_list} and {@code etc/default/LifeKeeper}. Every command is a
 * real executable ({@code #!/bin/sh} wrapper that runs {@link SimTool} in a fresh JVM), so the kit
 * drives it exactly as it drives the real thing. Linux (POSIX sh) only at run time.
 *
 * <p>Layout under {@code home}: {@code etc/hulenv.cnf}; {@code bin/utlsvcctl}, {@code bin/utlalivecheck},
 * {@code bin/svc-status}, {@code bin/svc-start-type}, {@code bin/svc-set-demand}; {@code var/} (service.pid,
 * ready, service.log, faults, start-type, sim.properties; and what the node faults put aside or run:
 * hulenv.cnf.unreadable, LifeKeeper.before-drift, port-held.PORT, port-held.log); {@code lkroot/bin/ins_list},
 * {@code lkroot/etc/default/LifeKeeper}.
 */
public final class SimInstallation {

    private static final String[] HULFT_TOOLS = {"utlsvcctl", "utlalivecheck"};
    private static final String[] SERVICE_TOOLS = {"svc-status", "svc-start-type", "svc-set-demand"};

    private final SimHome files;
    private final String serviceName;

    private SimInstallation(SimHome files, String serviceName) {
        this.files = files;
        this.serviceName = serviceName;
    }

    /**
     * Lays out an installation in {@code home} (created if absent; files of an earlier installation
     * there are overwritten and its faults cleared). Start nothing: the service starts through
     * {@code bin/utlsvcctl -c start}.
     */
    public static SimInstallation create(Path home, SimSpec spec) throws IOException {
        SimHome f = new SimHome(home);
        Files.createDirectories(f.etc());
        Files.createDirectories(f.bin());
        Files.createDirectories(f.var());
        Files.createDirectories(f.lkroot().resolve("bin"));
        Files.createDirectories(f.lkroot().resolve("etc").resolve("default"));
        new NodeFaults(f).forget();

        Files.writeString(f.conf(), hulenvCnf(spec));
        Properties sim = new Properties();
        sim.setProperty(SimHome.KEY_SERVICE_NAME, spec.serviceName());
        sim.setProperty(SimHome.KEY_NODE_NAME, spec.nodeName());
        SimHome.storeProperties(f.simProperties(), sim, "the simulated HULFT's service (io.hulftark.sim)");
        f.setStartType(spec.startType());
        f.clearFaults();
        Properties resources = new Properties();
        resources.putAll(spec.resources());
        SimHome.storeProperties(f.lkResources(), resources, "LifeKeeper resources of the stand-in ins_list: tag=info");
        Files.writeString(f.lkroot().resolve("etc").resolve("default").resolve("LifeKeeper"),
                "# LifeKeeper defaults of the simulated installation (NAME=value lines, e.g. LKHULFT_TIMEOUT=300)\n");

        String java = SimTool.javaCommand();
        String classPath = simClassPath();
        for (String tool : HULFT_TOOLS) {
            writeWrapper(f.bin().resolve(tool), java, classPath, tool, f.home);
        }
        for (String tool : SERVICE_TOOLS) {
            writeWrapper(f.bin().resolve(tool), java, classPath, tool, f.home);
        }
        writeWrapper(f.lkroot().resolve("bin").resolve("ins_list"), java, classPath, "ins_list", f.home);
        return new SimInstallation(f, spec.serviceName());
    }

    /** An installation that {@link #create} laid out before, e.g. by another process. */
    public static SimInstallation open(Path home) throws IOException {
        SimHome f = new SimHome(home);
        String name = f.serviceName();
        if (name == null) {
            throw new IOException("not a simulated HULFT installation (no " + f.simProperties() + ")");
        }
        return new SimInstallation(f, name);
    }

    private static String hulenvCnf(SimSpec spec) {
        StringBuilder s = new StringBuilder()
                .append("# hulenv.cnf of a simulated HULFT (io.hulftark.sim)\n")
                .append("# key=value lines; the recovery kit checks the ports below\n")
                .append("myhostname=").append(spec.myhostname()).append('\n');
        for (String key : SimHome.PORT_KEYS) {
            Integer port = spec.ports().get(key);
            if (port != null) {
                s.append(key).append('=').append(port).append('\n');
            }
        }
        return s.toString();
    }

    // ---- the wrappers --------------------------------------------------------------------------

    static String wrapper(String java, String classPath, String tool, Path home) {
        StringBuilder s = new StringBuilder("#!/bin/sh\n")
                .append("# ").append(tool).append(" of a simulated HULFT, made by io.hulftark.sim.SimInstallation\n")
                .append("exec ").append(shellQuote(java));
        for (String option : SimTool.JVM_OPTIONS) {
            s.append(' ').append(option);
        }
        return s.append(" -cp ").append(shellQuote(classPath))
                .append(' ').append(SimHome.TOOL_CLASS).append(' ').append(tool)
                .append(" --home ").append(shellQuote(home.toString()))
                .append(" \"$@\"\n").toString();
    }

    /** Single-quotes {@code s} for sh: nothing inside is special except the quote itself, written {@code '\''}. */
    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void writeWrapper(Path file, String java, String classPath, String tool, Path home)
            throws IOException {
        Files.writeString(file, wrapper(java, classPath, tool, home));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the wrappers cannot run there anyway
            file.toFile().setExecutable(true, false);
        }
    }

    /** Where the classes of this package come from: the class path the wrappers bake in. */
    static String simClassPath() {
        try {
            CodeSource source = SimTool.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null && "file".equals(source.getLocation().getProtocol())) {
                Path p = Path.of(source.getLocation().toURI());
                if (holdsSim(p)) {
                    return p.toString();
                }
            }
        } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException | SecurityException e) {
            // an unusual class loader: fall back to the class path below
        }
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty() && holdsSim(Path.of(entry))) {
                return Path.of(entry).toAbsolutePath().toString();
            }
        }
        throw new IllegalStateException("cannot find the classes of io.hulftark.sim to run the simulator's tools from");
    }

    private static boolean holdsSim(Path p) {
        return Files.isDirectory(p) ? Files.isRegularFile(p.resolve("io/hulftark/sim/SimTool.class"))
                : Files.isRegularFile(p);
    }

    // ---- paths ---------------------------------------------------------------------------------

    public Path home() {
        return files.home;
    }

    public Path binDir() {
        return files.bin();
    }

    public Path confFile() {
        return files.conf();
    }

    public Path varDir() {
        return files.var();
    }

    public Path logFile() {
        return files.log();
    }

    public Path pidFile() {
        return files.pidFile();
    }

    public Path faultsFile() {
        return files.faultsFile();
    }

    public Path utlsvcctl() {
        return files.bin().resolve("utlsvcctl");
    }

    public Path utlalivecheck() {
        return files.bin().resolve("utlalivecheck");
    }

    /** {@code svc-status SERVICE}: exit 0 running, 3 stopped, 4 no such service. */
    public Path statusCommand() {
        return files.bin().resolve("svc-status");
    }

    /** {@code svc-start-type SERVICE}: prints auto, delayed-auto, demand or disabled. */
    public Path startTypeCommand() {
        return files.bin().resolve("svc-start-type");
    }

    /** {@code svc-set-demand SERVICE}: makes the start type demand. */
    public Path setDemandCommand() {
        return files.bin().resolve("svc-set-demand");
    }

    /** The stand-in LKROOT. */
    public Path lkroot() {
        return files.lkroot();
    }

    public Path insListCommand() {
        return files.lkroot().resolve("bin").resolve("ins_list");
    }

    /** {@code lkroot/etc/default/LifeKeeper}, where the kit reads LKHULFT_* parameters. */
    public Path lkDefaultsFile() {
        return files.lkroot().resolve("etc").resolve("default").resolve("LifeKeeper");
    }

    public String serviceName() {
        return serviceName;
    }

    // ---- state ---------------------------------------------------------------------------------

    /** The ports hulenv.cnf configures now, by key, in HULFT's order. */
    public Map<String, Integer> ports() {
        try {
            return SimHome.ports(SimHome.readConf(files.conf()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the service process runs (listening or, during a slow start, not yet). */
    public boolean isRunning() {
        return files.runningService() != null;
    }

    public OptionalLong pid() {
        ProcessHandle p = files.runningService();
        return p == null ? OptionalLong.empty() : OptionalLong.of(p.pid());
    }

    /** The current start type word ({@code auto}, {@code delayed-auto}, {@code demand}, {@code disabled}). */
    public String startType() {
        return files.startType();
    }

    // ---- faults --------------------------------------------------------------------------------

    /**
     * Gives the simulation a fault, kept until {@link #clearFaults()} ({@link Fault#CRASH} acts at once; the faults
     * that change the node are done at once and stay until undone).
     *
     * @param arg the fault's argument ({@link Fault#argumentHint()}), or null for a fault without one
     * @throws IllegalArgumentException if the argument is missing or out of range
     */
    public void fault(Fault fault, String arg) {
        try {
            files.setFault(fault, arg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void fault(Fault fault) {
        fault(fault, null);
    }

    /** Clears every kept fault and undoes every fault that changed the node (conf-unreadable, port-held, drift). */
    public void clearFaults() {
        try {
            files.clearFaults();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Clears or undoes one fault; returns whether it was set. */
    public boolean clearFault(Fault fault) {
        try {
            return files.clearFault(fault);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ports that {@link Fault#PORT_HELD} holds now (by a live holder process). */
    public List<Integer> heldPorts() {
        try {
            return new NodeFaults(files).heldPorts();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the service abruptly (SIGKILL), as a crash would; returns whether one was running. */
    public boolean crash() {
        return files.crash();
    }

    // ---- cleanup -------------------------------------------------------------------------------

    /** Every process of this installation: the service and any tool still running (a hung start, say). */
    public List<ProcessHandle> processes() {
        long me = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != me)
                .filter(p -> files.isSimProcess(p, SimHome.SERVICE_CLASS) || files.isSimProcess(p, SimHome.TOOL_CLASS)
                        || files.isSimProcess(p, NodeFaults.HOLDER_CLASS))
                .collect(Collectors.toList());
    }

    /**
     * Kills whatever of this installation runs (for test cleanup: the service, hung tools, port holders) and removes
     * its pid and ready files.
     */
    public void stopNow() {
        List<ProcessHandle> all = processes();
        for (ProcessHandle p : all) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : all) {
            if (!files.awaitGone(p, SimHome.SERVICE_CLASS, 5000) || !files.awaitGone(p, SimHome.TOOL_CLASS, 5000)
                    || !files.awaitGone(p, NodeFaults.HOLDER_CLASS, 5000)) {
                throw new IllegalStateException("process " + p.pid() + " of " + files.home + " did not die");
            }
        }
        try {
            Files.deleteIfExists(files.pidFile());
            Files.deleteIfExists(files.readyFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "SimInstallation[" + files.home + ", " + serviceName + "]";
    }
}
