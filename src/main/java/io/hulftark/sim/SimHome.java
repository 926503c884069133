package io.hulftark.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The files of one simulated installation and the few operations on them that the installation
 * object, the tools and the service share. It runs inside every tool call, so it stays small:
 * no lambdas, streams, regular expressions or logging, which would each cost a JVM start many classes.
 */
final class SimHome {

    static final String TOOL_CLASS = "io.hulftark.sim.SimTool";
    static final String SERVICE_CLASS = "io.hulftark.sim.SimService";

    /** The port keys of hulenv.cnf that the kit checks (spec 5.1 step 7), in HULFT's order. */
    static final String[] PORT_KEYS = {"rcvport", "obsport", "sddport", "srvcproport", "schport"};

    static final String KEY_SERVICE_NAME = "service.name";
    static final String KEY_NODE_NAME = "node.name";

    final Path home;

    SimHome(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    Path bin() {
        return home.resolve("bin");
    }

    Path etc() {
        return home.resolve("etc");
    }

    Path conf() {
        return etc().resolve("hulenv.cnf");
    }

    Path var() {
        return home.resolve("var");
    }

    /** What the simulator knows that HULFT keeps elsewhere (the Windows service name, the node name). */
    Path simProperties() {
        return var().resolve("sim.properties");
    }

    Path log() {
        return var().resolve("service.log");
    }

    Path pidFile() {
        return var().resolve("service.pid");
    }

    /** Written by the service (holding its pid) once it listens on all its ports. */
    Path readyFile() {
        return var().resolve("ready");
    }

    Path faultsFile() {
        return var().resolve("faults");
    }

    Path startTypeFile() {
        return var().resolve("start-type");
    }

    /** Serialises start and stop, so that two concurrent starts cannot launch two services. */
    Path controlLock() {
        return var().resolve("control.lock");
    }

    Path lkroot() {
        return home.resolve("lkroot");
    }

    Path lkResources() {
        return lkroot().resolve("etc").resolve("sim-resources.properties");
    }

    // ---- the service process ----------------------------------------------------------------

    /** The pid in the pid file, or -1 when there is none or it is unreadable. */
    long recordedPid() {
        String text = readText(pidFile());
        return text == null ? -1 : parseLong(text.trim(), -1);
    }

    /** The running service of this installation, or null. A crashed or reused pid does not count. */
    ProcessHandle runningService() {
        long pid = recordedPid();
        if (pid <= 0) {
            return null;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return null;
        }
        ProcessHandle p = handle.get();
        return isSimProcess(p, SERVICE_CLASS) ? p : null;
    }

    /**
     * Whether {@code p} is alive and runs {@code mainClass} for this home. The command line tells
     * our service from a process that reused a stale pid; a zombie has none, so it counts as gone.
     */
    boolean isSimProcess(ProcessHandle p, String mainClass) {
        if (!p.isAlive()) {
            return false;
        }
        Optional<String[]> args = p.info().arguments();
        if (args.isEmpty()) {
            return false;
        }
        String[] a = args.get();
        boolean mainFound = false;
        for (int i = 0; i < a.length; i++) {
            if (mainClass.equals(a[i])) {
                mainFound = true;
            } else if (mainFound && "--home".equals(a[i]) && i + 1 < a.length) {
                return home.toString().equals(a[i + 1]);
            }
        }
        return false;
    }

    /** Waits until {@code p} is gone; true if it went within {@code millis}. */
    boolean awaitGone(ProcessHandle p, String mainClass, long millis) {
        long until = System.currentTimeMillis() + millis;
        while (isSimProcess(p, mainClass)) {
            if (System.currentTimeMillis() >= until) {
                return false;
            }
            sleep(20);
        }
        return true;
    }

    /** Kills the service abruptly (SIGKILL): no clean stop, the pid file stays behind. */
    boolean crash() {
        ProcessHandle p = runningService();
        if (p == null) {
            return false;
        }
        p.destroyForcibly();
        awaitGone(p, SERVICE_CLASS, 5000);
        return true;
    }

    /** The pid of the service if its ready file names it, else -1. */
    long readyPid() {
        String text = readText(readyFile());
        return text == null ? -1 : parseLong(firstLine(text).trim(), -1);
    }

    // ---- configuration and state -----------------------------------------------------------

    String serviceName() {
        return loadProperties(simProperties()).getProperty(KEY_SERVICE_NAME);
    }

    String startType() {
        String text = readText(startTypeFile());
        return text == null ? "auto" : text.trim();
    }

    void setStartType(String word) throws IOException {
        writeAtomically(startTypeFile(), cat(word, "\n"));
    }

    /**
     * hulenv.cnf as HULFT reads it: {@code key=value} lines, {@code #} comments, blanks ignored,
     * the last value of a key wins. Parsed by hand (no regex) because every tool call reads it.
     */
    static Map<String, String> readConf(Path conf) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        String text = Files.readString(conf, StandardCharsets.UTF_8);
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            String line = text.substring(start, end).trim();
            start = end + 1;
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.charAt(0) == '#' || eq <= 0) {
                continue;
            }
            values.put(line.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT), line.substring(eq + 1).trim());
        }
        return values;
    }

    /** The configured ports in HULFT's key order; a key that is absent or not a number is left out. */
    static Map<String, Integer> ports(Map<String, String> conf) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String key : PORT_KEYS) {
            String v = conf.get(key);
            int port = v == null ? -1 : (int) parseLong(v, -1);
            if (port > 0 && port < 65536) {
                ports.put(key, port);
            }
        }
        return ports;
    }

    // ---- faults ------------------------------------------------------------------------------

    Properties faults() {
        return loadProperties(faultsFile());
    }

    /**
     * Records a fault (validating its argument) or, for {@link Fault#CRASH} and the faults that change the node
     * ({@link Fault#changesNode()}), carries it out at once.
     */
    void setFault(Fault fault, String arg) throws IOException {
        if (fault == Fault.CRASH) {
            crash();
            return;
        }
        if (fault.changesNode()) {
            new NodeFaults(this).set(fault, arg);
            return;
        }
        String value = "";
        if (fault.takesArgument()) {
            if (arg == null || arg.isBlank()) {
                throw new IllegalArgumentException(cat(fault.word(), " needs an argument: ",
                        fault.argumentHint()));
            }
            long n = parseLong(arg.trim(), -1);
            long max = fault == Fault.REFUSE_PORT ? 65535 : fault == Fault.SLOW_START ? 3_600_000 : 255;
            long min = fault == Fault.SLOW_START ? 0 : 1;
            if (n < min || n > max) {
                throw new IllegalArgumentException(cat(fault.word(), ": ", arg, " is not ",
                        fault.argumentHint()));
            }
            value = Long.toString(n);
        }
        Properties faults = faults();
        if (fault == Fault.REFUSE_PORT) {
            // Several ports can be refused at once: the value is a comma-separated list.
            String old = faults.getProperty(fault.word(), "");
            if (!old.isEmpty() && !containsItem(old, value)) {
                value = cat(old, ",", value);
            } else if (!old.isEmpty()) {
                value = old;
            }
        }
        faults.setProperty(fault.word(), value);
        storeProperties(faultsFile(), faults, "faults of the simulated HULFT (see io.hulftark.sim.Fault)");
    }

    /** Clears every kept fault and undoes every fault that changed the node. */
    void clearFaults() throws IOException {
        Files.deleteIfExists(faultsFile());
        new NodeFaults(this).undoAll();
    }

    /** Clears or undoes one fault; returns whether it was set. */
    boolean clearFault(Fault fault) throws IOException {
        if (fault.changesNode()) {
            return new NodeFaults(this).undo(fault);
        }
        Properties faults = faults();
        if (faults.remove(fault.word()) == null) {
            return false;
        }
        storeProperties(faultsFile(), faults, "faults of the simulated HULFT (see io.hulftark.sim.Fault)");
        return true;
    }

    static boolean containsItem(String list, String item) {
        for (String s : list.split(",")) {
            if (s.trim().equals(item)) {
                return true;
            }
        }
        return false;
    }

    // ---- small file helpers --------------------------------------------------------------------

    static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    static Properties loadProperties(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            // absent or unreadable: no entries, which every caller treats as "nothing set"
        }
        return p;
    }

    static void storeProperties(Path file, Properties p, String comment) throws IOException {
        Path tmp = tempSibling(file);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), comment);
        }
        move(tmp, file);
    }

    /** Readers poll these files, so they must never see half of one: write aside, then rename. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = tempSibling(file);
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        move(tmp, file);
    }

    /** Unique per process and thread, so concurrent writers never share a half-written file. */
    private static Path tempSibling(Path file) {
        return file.resolveSibling(cat(file.getFileName(), ".", ProcessHandle.current().pid(), ".",
                Thread.currentThread().getId(), ".tmp"));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static long parseLong(String s, long otherwise) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** Joins the parts as {@code +} would, without the method-handle bootstrap that {@code +} costs a fresh JVM. */
    static String cat(Object... parts) {
        StringBuilder s = new StringBuilder();
        for (Object p : parts) {
            s.append(p);
        }
        return s.toString();
    }

    static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
