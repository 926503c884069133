package io.hulftark.sim;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The faults that change the node itself ({@link Fault#changesNode()}): hulenv.cnf replaced by a folder, a port held
 * by another process, LifeKeeper defaults that drift. Each leaves its evidence in {@code var/} (the file put aside, the
 * holder's pid file), which is also how undo finds it, so any later process can undo it. Runs inside tool calls,
 * so, like {@link SimHome}, it avoids lambdas, streams and regular expressions.
 */
final class NodeFaults {

    static final String HOLDER_CLASS = "io.hulftark.sim.SimPortHolder";
    static final String LK_TIMEOUT = "LKHULFT_TIMEOUT";
    /** LifeKeeper's own default when the defaults file does not set it (the kit's too). */
    static final long LK_TIMEOUT_DEFAULT = 300;
    static final long HOLDER_READY_MILLIS = 15_000;
    private static final String HELD_PREFIX = "port-held.";

    private final SimHome home;

    NodeFaults(SimHome home) {
        this.home = home;
    }

    Path confAside() {
        return home.var().resolve("hulenv.cnf.unreadable");
    }

    Path lkDefaults() {
        return home.lkroot().resolve("etc").resolve("default").resolve("LifeKeeper");
    }

    Path lkDefaultsAside() {
        return home.var().resolve("LifeKeeper.before-drift");
    }

    /** Written by the holder of {@code port} once it listens; holds its pid. */
    Path heldFile(int port) {
        return home.var().resolve(SimHome.cat(HELD_PREFIX, port));
    }

    Path holderLog() {
        return home.var().resolve("port-held.log");
    }

    void set(Fault fault, String arg) throws IOException {
        switch (fault) {
            case CONF_UNREADABLE:
                confUnreadable();
                return;
            case PORT_HELD:
                holdPort(arg);
                return;
            case DRIFT:
                drift(arg);
                return;
            default:
                throw new IllegalArgumentException(SimHome.cat(fault.word(), " does not change the node"));
        }
    }

    /** Undoes {@code fault}; returns whether there was anything to undo. */
    boolean undo(Fault fault) throws IOException {
        switch (fault) {
            case CONF_UNREADABLE:
                return confReadable();
            case PORT_HELD:
                return releasePorts() > 0;
            case DRIFT:
                return undrift();
            default:
                return false;
        }
    }

    void undoAll() throws IOException {
        releasePorts();
        confReadable();
        undrift();
    }

    /**
     * For a new installation laid out over an old one: ends the old holders and drops what earlier faults put aside
     * (the new files replace it), so that no later undo brings back an old file.
     */
    void forget() throws IOException {
        releasePorts();
        if (Files.isDirectory(home.conf())) {
            Files.delete(home.conf());
        }
        Files.deleteIfExists(confAside());
        Files.deleteIfExists(lkDefaultsAside());
    }

    // ---- conf-unreadable ---------------------------------------------------------------------

    /**
     * Puts hulenv.cnf aside and makes a folder of its name: reading it fails with "Is a directory" whoever reads it
     * (root ignores a missing read permission). Idempotent.
     */
    void confUnreadable() throws IOException {
        Path conf = home.conf();
        if (Files.isDirectory(conf) && Files.exists(confAside())) {
            return;
        }
        if (!Files.isRegularFile(conf)) {
            throw new IOException(SimHome.cat("conf-unreadable: there is no file ", conf, " to make unreadable"));
        }
        Files.move(conf, confAside(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectory(conf);
    }

    /** hulenv.cnf as HULFT configured it: the file put aside while conf-unreadable holds. */
    Path realConf() {
        return Files.isRegularFile(confAside()) ? confAside() : home.conf();
    }

    boolean confReadable() throws IOException {
        Path conf = home.conf();
        if (!Files.exists(confAside())) {
            return false;
        }
        if (Files.isDirectory(conf)) {
            Files.delete(conf); // fails, saying so, if someone put files into it: nothing of theirs is lost
        }
        Files.move(confAside(), conf, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return true;
    }

    // ---- port-held ---------------------------------------------------------------------------

    /**
     * Starts a holder process that listens on {@code arg} (default rcvport) where the service would, and waits until
     * it does. Refused while HULFT runs here: then HULFT holds its ports itself.
     */
    int holdPort(String arg) throws IOException {
        if (home.runningService() != null) {
            throw new IllegalArgumentException("port-held: HULFT runs on this node and holds its ports itself; "
                    + "stop it first (port-held stands for another program on a standby)");
        }
        Map<String, String> conf = SimHome.readConf(realConf());
        int port;
        if (arg == null || arg.isBlank()) {
            Map<String, Integer> ports = SimHome.ports(conf);
            if (ports.isEmpty()) {
                throw new IllegalArgumentException(SimHome.cat("port-held: no port in ", realConf(),
                        "; give one: port-held PORT"));
            }
            port = ports.values().iterator().next();
        } else {
            long n = SimHome.parseLong(arg.trim(), -1);
            if (n < 1 || n > 65535) {
                throw new IllegalArgumentException(SimHome.cat("port-held: ", arg, " is not a port (1 to 65535)"));
            }
            port = (int) n;
        }
        if (holder(port) != null) {
            return port;
        }
        Files.deleteIfExists(heldFile(port));
        Process holder = launchHolder(port);
        long until = System.currentTimeMillis() + HOLDER_READY_MILLIS;
        while (SimHome.parseLong(trimmed(SimHome.readText(heldFile(port))), -1) != holder.pid()) {
            if (!holder.isAlive()) {
                throw new IOException(SimHome.cat("port-held: cannot hold port ", port, ": ",
                        lastLine(SimHome.readText(holderLog()))));
            }
            if (System.currentTimeMillis() >= until) {
                holder.destroyForcibly();
                throw new IOException(SimHome.cat("port-held: the holder of port ", port, " did not listen within ",
                        HOLDER_READY_MILLIS / 1000, " s; see ", holderLog()));
            }
            SimHome.sleep(20);
        }
        return port;
    }

    /** The running holder of {@code port}, or null. */
    ProcessHandle holder(int port) {
        long pid = SimHome.parseLong(trimmed(SimHome.readText(heldFile(port))), -1);
        if (pid <= 0) {
            return null;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        return p.isPresent() && home.isSimProcess(p.get(), HOLDER_CLASS) ? p.get() : null;
    }

    /** The ports held now, by a live holder. */
    List<Integer> heldPorts() throws IOException {
        List<Integer> ports = new ArrayList<>();
        if (!Files.isDirectory(home.var())) {
            return ports;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(home.var(), SimHome.cat(HELD_PREFIX, "*"))) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                long port = SimHome.parseLong(name.substring(HELD_PREFIX.length()), -1);
                if (port > 0 && holder((int) port) != null) {
                    ports.add((int) port);
                }
            }
        }
        return ports;
    }

    /** Ends every holder and removes its file; returns how many ports it freed. */
    int releasePorts() throws IOException {
        int released = 0;
        if (!Files.isDirectory(home.var())) {
            return 0;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(home.var(), SimHome.cat(HELD_PREFIX, "[0-9]*"))) {
            for (Path f : found) {
                files.add(f);
            }
        }
        for (Path f : files) {
            long port = SimHome.parseLong(f.getFileName().toString().substring(HELD_PREFIX.length()), -1);
            ProcessHandle p = port > 0 ? holder((int) port) : null;
            if (p != null) {
                p.destroy();
                if (!home.awaitGone(p, HOLDER_CLASS, 5000)) {
                    p.destroyForcibly();
                    home.awaitGone(p, HOLDER_CLASS, 5000);
                }
                released++;
            }
            Files.deleteIfExists(f);
        }
        return released;
    }

    private Process launchHolder(int port) throws IOException {
        List<String> argv = new ArrayList<>();
        for (String setsid : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            if (new File(setsid).canExecute()) {
                argv.add(setsid);
                break;
            }
        }
        argv.add(SimTool.javaCommand());
        for (String option : SimTool.JVM_OPTIONS) {
            argv.add(option);
        }
        argv.add("-Xmx16m");
        argv.add("-cp");
        argv.add(SimInstallation.simClassPath()); // the sim's classes alone, wherever this JVM got them from
        argv.add(HOLDER_CLASS);
        argv.add("--home");
        argv.add(home.home.toString());
        argv.add("--port");
        argv.add(Integer.toString(port));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.directory(home.home.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(holderLog().toFile()));
        return pb.start();
    }

    // ---- drift -------------------------------------------------------------------------------

    /**
     * Sets LKHULFT_TIMEOUT in this node's LifeKeeper defaults to {@code arg} seconds (default: the current value plus
     * 60), keeping the file as it was before the first drift for undo.
     */
    long drift(String arg) throws IOException {
        Path file = lkDefaults();
        String text = SimHome.readText(file);
        if (text == null) {
            text = "";
        }
        long current = timeout(text);
        long seconds;
        if (arg == null || arg.isBlank()) {
            seconds = current + 60;
        } else {
            seconds = SimHome.parseLong(arg.trim(), -1);
            if (seconds < 1 || seconds > 86_400) {
                throw new IllegalArgumentException(SimHome.cat("drift: ", arg,
                        " is not LKHULFT_TIMEOUT in seconds (1 to 86400)"));
            }
        }
        if (!Files.exists(lkDefaultsAside())) {
            SimHome.writeAtomically(lkDefaultsAside(), text);
        }
        Files.createDirectories(file.getParent());
        SimHome.writeAtomically(file, withTimeout(text, seconds));
        return seconds;
    }

    boolean undrift() throws IOException {
        if (!Files.exists(lkDefaultsAside())) {
            return false;
        }
        SimHome.writeAtomically(lkDefaults(), Files.readString(lkDefaultsAside(), StandardCharsets.UTF_8));
        Files.delete(lkDefaultsAside());
        return true;
    }

    /** The last LKHULFT_TIMEOUT=N of a defaults file, or LifeKeeper's default. */
    static long timeout(String text) {
        long value = LK_TIMEOUT_DEFAULT;
        for (String line : lines(text)) {
            String t = line.trim();
            int eq = t.indexOf('=');
            if (eq > 0 && t.substring(0, eq).trim().equals(LK_TIMEOUT)) {
                value = SimHome.parseLong(unquote(t.substring(eq + 1).trim()), value);
            }
        }
        return value;
    }

    /** The defaults file with every LKHULFT_TIMEOUT line replaced by one with {@code seconds}, or one added. */
    static String withTimeout(String text, long seconds) {
        StringBuilder s = new StringBuilder();
        boolean replaced = false;
        for (String line : lines(text)) {
            String t = line.trim();
            int eq = t.indexOf('=');
            if (eq > 0 && t.substring(0, eq).trim().equals(LK_TIMEOUT)) {
                if (!replaced) {
                    s.append(LK_TIMEOUT).append('=').append(seconds).append('\n');
                    replaced = true;
                }
            } else {
                s.append(line).append('\n');
            }
        }
        if (!replaced) {
            s.append(LK_TIMEOUT).append('=').append(seconds).append('\n');
        }
        return s.toString();
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            lines.add(text.substring(start, end));
            start = end + 1;
        }
        return lines;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)
                ? v.substring(1, v.length() - 1) : v;
    }

    private static String trimmed(String s) {
        return s == null ? "" : s.trim();
    }

    private static String lastLine(String text) {
        if (text == null || text.isBlank()) {
            return "it exited without a word";
        }
        List<String> lines = lines(text.trim());
        return lines.get(lines.size() - 1).trim();
    }
}
