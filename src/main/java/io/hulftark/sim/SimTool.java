package io.hulftark.sim;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The programs of the simulated HULFT, run by the wrappers in {@code home/bin} and
 * {@code home/lkroot/bin}: {@code SimTool TOOL --home HOME [ARGS]}.
 *
 * <p>Every check of the kit runs one of these as a fresh JVM, so this class keeps start-up cheap:
 * plain loops instead of regular expressions, no lambdas or streams, no logging, and text joined with
 * {@code SimHome.cat} rather than {@code +}, whose first use bootstraps method handles (about 15 ms).
 *
 * <h2>Exit codes (the one table)</h2>
 * <table>
 * <tr><th>code</th><th>tool</th><th>meaning</th></tr>
 * <tr><td>0</td><td>all</td><td>success; svc-status: running</td></tr>
 * <tr><td>1</td><td>utlalivecheck</td><td>could not connect (refused, timed out, unknown host)</td></tr>
 * <tr><td>1</td><td>ins_list</td><td>no resource matches (prints nothing, like LifeKeeper)</td></tr>
 * <tr><td>2</td><td>all</td><td>usage error (one line on stderr)</td></tr>
 * <tr><td>3</td><td>svc-status</td><td>stopped (also after a crash)</td></tr>
 * <tr><td>4</td><td>svc-status, svc-start-type, svc-set-demand</td><td>no such service (not installed)</td></tr>
 * <tr><td>8</td><td>utlsvcctl -c start</td><td>the service did not start: disabled, exited early,
 * or not listening in time</td></tr>
 * <tr><td>9</td><td>utlsvcctl -c stop</td><td>the service did not stop within {@value #STOP_WAIT_MILLIS} ms</td></tr>
 * <tr><td>12</td><td>all</td><td>the simulator's own files could not be read or written</td></tr>
 * <tr><td>N</td><td>utlsvcctl</td><td>the code given to the {@code start-fail} / {@code stop-fail} fault</td></tr>
 * </table>
 */
public final class SimTool {

    public static final int OK = 0;
    public static final int NOT_CONNECTED = 1;
    public static final int NO_MATCH = 1;
    public static final int USAGE = 2;
    public static final int STOPPED = 3;
    public static final int NOT_INSTALLED = 4;
    public static final int START_FAILED = 8;
    public static final int STOP_FAILED = 9;
    public static final int SIM_ERROR = 12;

    /** How long start waits for the service to listen, on top of any slow-start delay. */
    static final long READY_WAIT_MILLIS = 60_000;
    static final long STOP_WAIT_MILLIS = 30_000;

    /** LifeKeeper's default field separator in ins_list output. */
    static final char LK_SEPARATOR = '\u0001';

    /** Options of the JVMs the sim starts: short-lived, small, quick to start. */
    static final String[] JVM_OPTIONS = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"};

    private final SimHome home;
    private final PrintStream out;
    private final PrintStream err;

    private SimTool(SimHome home, PrintStream out, PrintStream err) {
        this.home = home;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** {@code TOOL --home HOME [ARGS]}; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 3 || !"--home".equals(args[1])) {
            err.println("usage: SimTool TOOL --home HOME [ARGS]  (TOOL: utlsvcctl, utlalivecheck, svc-status, "
                    + "svc-start-type, svc-set-demand, ins_list, fault)");
            return USAGE;
        }
        SimTool tool = new SimTool(new SimHome(Path.of(args[2])), out, err);
        String[] rest = new String[args.length - 3];
        System.arraycopy(args, 3, rest, 0, rest.length);
        try {
            switch (args[0]) {
                case "utlsvcctl":
                    return tool.utlsvcctl(rest);
                case "utlalivecheck":
                    return tool.utlalivecheck(rest);
                case "svc-status":
                    return tool.svcStatus(rest);
                case "svc-start-type":
                    return tool.svcStartType(rest);
                case "svc-set-demand":
                    return tool.svcSetDemand(rest);
                case "ins_list":
                    return tool.insList(rest);
                case "fault":
                    return tool.fault(rest);
                default:
                    err.println(SimHome.cat("SimTool: unknown tool ", args[0]));
                    return USAGE;
            }
        } catch (IOException e) {
            err.println(SimHome.cat(args[0], ": ", e));
            return SIM_ERROR;
        }
    }

    // ---- utlsvcctl -c start|stop -------------------------------------------------------------

    private int utlsvcctl(String[] args) throws IOException {
        if (args.length != 2 || !"-c".equals(args[0]) || !("start".equals(args[1]) || "stop".equals(args[1]))) {
            err.println("usage: utlsvcctl -c start|stop");
            return USAGE;
        }
        Properties faults = home.faults();
        return "start".equals(args[1]) ? start(faults) : stop(faults);
    }

    private int start(Properties faults) throws IOException {
        String fail = faults.getProperty(Fault.START_FAIL.word());
        if (fail != null) {
            err.println(SimHome.cat("utlsvcctl: start failed (simulated fault start-fail ", fail, ")"));
            return (int) SimHome.parseLong(fail, START_FAILED);
        }
        if (faults.getProperty(Fault.START_HANG.word()) != null) {
            err.println("utlsvcctl: start hangs (simulated fault start-hang)");
            err.flush();
            hangForever();
        }
        try (FileChannel ch = FileChannel.open(home.controlLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            ProcessHandle running = home.runningService();
            if (running != null) {
                out.println(SimHome.cat("utlsvcctl: ", home.serviceName(), " is already running (pid ", running.pid(),
                        ")"));
                return OK;
            }
            if ("disabled".equals(home.startType())) {
                err.println(SimHome.cat("utlsvcctl: cannot start ", home.serviceName(),
                        ": its start type is disabled"));
                return START_FAILED;
            }
            Files.deleteIfExists(home.readyFile());
            Process service = launchService();
            SimHome.writeAtomically(home.pidFile(), SimHome.cat(service.pid(), "\n"));
            long slow = SimHome.parseLong(faults.getProperty(Fault.SLOW_START.word(), "0"), 0);
            long until = System.currentTimeMillis() + READY_WAIT_MILLIS + slow;
            while (home.readyPid() != service.pid()) {
                if (!service.isAlive()) {
                    Files.deleteIfExists(home.pidFile());
                    err.println(SimHome.cat("utlsvcctl: the service exited with code ", service.exitValue(),
                            " before it listened; see ", home.log()));
                    return START_FAILED;
                }
                if (System.currentTimeMillis() >= until) {
                    service.destroyForcibly();
                    Files.deleteIfExists(home.pidFile());
                    err.println(SimHome.cat("utlsvcctl: the service did not listen within ",
                            (READY_WAIT_MILLIS + slow) / 1000,
                            " s; killed it; see ", home.log()));
                    return START_FAILED;
                }
                SimHome.sleep(20);
            }
            out.println(SimHome.cat("utlsvcctl: started ", home.serviceName(), " (pid ", service.pid(), ")"));
            return OK;
        }
    }

    /**
     * Starts the service detached: its own session where {@code setsid} exists (so a terminal's
     * Ctrl-C does not reach it), stdin from /dev/null and output to the log, so that whoever
     * runs utlsvcctl sees the end of its output when utlsvcctl exits.
     */
    private Process launchService() throws IOException {
        List<String> argv = new ArrayList<>();
        for (String setsid : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            if (new File(setsid).canExecute()) {
                argv.add(setsid);
                break;
            }
        }
        argv.add(javaCommand());
        for (String option : JVM_OPTIONS) {
            argv.add(option);
        }
        argv.add("-Xmx64m");
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(SimHome.SERVICE_CLASS);
        argv.add("--home");
        argv.add(home.home.toString());
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.directory(home.home.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.log().toFile()));
        return pb.start();
    }

    private int stop(Properties faults) throws IOException {
        String fail = faults.getProperty(Fault.STOP_FAIL.word());
        if (fail != null) {
            err.println(SimHome.cat("utlsvcctl: stop failed (simulated fault stop-fail ", fail, ")"));
            return (int) SimHome.parseLong(fail, STOP_FAILED);
        }
        if (faults.getProperty(Fault.STOP_HANG.word()) != null) {
            err.println("utlsvcctl: stop hangs (simulated fault stop-hang)");
            err.flush();
            hangForever();
        }
        try (FileChannel ch = FileChannel.open(home.controlLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            ProcessHandle service = home.runningService();
            if (service == null) {
                // A crash leaves its pid file behind: tidy up, the service is stopped either way.
                Files.deleteIfExists(home.pidFile());
                Files.deleteIfExists(home.readyFile());
                out.println(SimHome.cat("utlsvcctl: ", home.serviceName(), " is not running"));
                return OK;
            }
            service.destroy(); // SIGTERM: the service closes its ports and exits cleanly
            if (!home.awaitGone(service, SimHome.SERVICE_CLASS, STOP_WAIT_MILLIS)) {
                err.println(SimHome.cat("utlsvcctl: ", home.serviceName(), " (pid ", service.pid(),
                        ") did not stop within ",
                        STOP_WAIT_MILLIS / 1000, " s"));
                return STOP_FAILED;
            }
            Files.deleteIfExists(home.pidFile());
            Files.deleteIfExists(home.readyFile());
            out.println(SimHome.cat("utlsvcctl: stopped ", home.serviceName()));
            return OK;
        }
    }

    // ---- utlalivecheck -h HOST -p PORT -w SECONDS --------------------------------------------

    private int utlalivecheck(String[] args) throws IOException {
        String host = null;
        String port = null;
        String wait = "10";
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                return usage(SimHome.cat("utlalivecheck: ", args[i], " needs a value"), ALIVECHECK_USAGE);
            }
            switch (args[i]) {
                case "-h":
                    host = args[i + 1];
                    break;
                case "-p":
                    port = args[i + 1];
                    break;
                case "-w":
                    wait = args[i + 1];
                    break;
                default:
                    return usage(SimHome.cat("utlalivecheck: unknown option ", args[i]), ALIVECHECK_USAGE);
            }
        }
        if (host == null) {
            return usage("utlalivecheck: -h HOST is required", ALIVECHECK_USAGE);
        }
        if (port == null) {
            // Like HULFT: without -p the receive port of hulenv.cnf is checked.
            port = SimHome.readConf(home.conf()).get("rcvport");
            if (port == null) {
                return usage(SimHome.cat("utlalivecheck: no -p and no rcvport in ", home.conf()), ALIVECHECK_USAGE);
            }
        }
        long p = SimHome.parseLong(port, -1);
        long seconds = SimHome.parseLong(wait, -1);
        if (p < 1 || p > 65535 || seconds < 1 || seconds > 3600) {
            return usage("utlalivecheck: -p must be a port and -w a number of seconds (1 to 3600)", ALIVECHECK_USAGE);
        }
        // NO_PROXY: a TCP check goes straight to the port (and skips the JDK's SOCKS set-up)
        try (Socket socket = new Socket(Proxy.NO_PROXY)) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(host), (int) p), (int) seconds * 1000);
            out.println(SimHome.cat("utlalivecheck: ", host, ":", p, " is alive"));
            return OK;
        } catch (UnknownHostException e) {
            err.println(SimHome.cat("utlalivecheck: unknown host ", host));
            return NOT_CONNECTED;
        } catch (IOException e) {
            err.println(SimHome.cat("utlalivecheck: cannot connect to ", host, ":", p, ": ", e.getMessage()));
            return NOT_CONNECTED;
        }
    }

    private static final String ALIVECHECK_USAGE = "usage: utlalivecheck -h HOST [-p PORT] [-w SECONDS]";

    // ---- the command platform: svc-status, svc-start-type, svc-set-demand --------------------

    private int svcStatus(String[] args) {
        int check = checkService(args, "svc-status");
        if (check != OK) {
            return check;
        }
        if (home.runningService() != null) {
            out.println("running");
            return OK;
        }
        out.println("stopped");
        return STOPPED;
    }

    private int svcStartType(String[] args) {
        int check = checkService(args, "svc-start-type");
        if (check != OK) {
            return check;
        }
        out.println(home.startType());
        return OK;
    }

    private int svcSetDemand(String[] args) throws IOException {
        int check = checkService(args, "svc-set-demand");
        if (check != OK) {
            return check;
        }
        home.setStartType("demand");
        return OK;
    }

    /** OK if {@code args} is exactly the simulated service's name (case-insensitive, as Windows compares). */
    private int checkService(String[] args, String tool) {
        if (args.length != 1) {
            return usage(SimHome.cat(tool, ": expected one argument, the service name"),
                    SimHome.cat("usage: ", tool, " SERVICE"));
        }
        String name = home.serviceName();
        if (name == null) {
            err.println(SimHome.cat(tool, ": cannot read ", home.simProperties()));
            return SIM_ERROR;
        }
        if (!name.equalsIgnoreCase(args[0])) {
            err.println(SimHome.cat(tool, ": ", args[0], ": no such service"));
            return NOT_INSTALLED;
        }
        return OK;
    }

    // ---- ins_list [-t TAG] [-f C] --------------------------------------------------------------

    /**
     * One line per resource: node, app, restype, tag, id, info, state, switchback, separated by 0x01
     * (or the character of {@code -f}). Field 6, the info, is the HULFT service name. UTF-8.
     */
    private int insList(String[] args) throws IOException {
        String tag = null;
        String separator = String.valueOf(LK_SEPARATOR);
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length || !("-t".equals(args[i]) || "-f".equals(args[i]))) {
                return usage(SimHome.cat("ins_list: unknown or incomplete option ", args[i]),
                        "usage: ins_list [-t TAG] [-f C]");
            }
            if ("-t".equals(args[i])) {
                tag = args[i + 1];
            } else {
                separator = args[i + 1];
            }
        }
        Properties resources = SimHome.loadProperties(home.lkResources());
        String node = SimHome.loadProperties(home.simProperties()).getProperty(SimHome.KEY_NODE_NAME, "sim-node");
        String state = home.runningService() != null ? "ISP" : "OSU";
        StringBuilder text = new StringBuilder();
        for (String t : new TreeSet<>(resources.stringPropertyNames())) {
            if (tag != null && !tag.equals(t)) {
                continue;
            }
            String[] fields = {node, "gen", "app", t, SimHome.cat("SIM-", t), resources.getProperty(t), state,
                "intelligent"};
            for (int i = 0; i < fields.length; i++) {
                if (i > 0) {
                    text.append(separator);
                }
                text.append(fields[i]);
            }
            text.append('\n');
        }
        if (text.length() == 0) {
            return NO_MATCH;
        }
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        return OK;
    }

    // ---- fault NAME [ARG] | clear [NAME] ------------------------------------------------------

    private int fault(String[] args) throws IOException {
        String usage = SimHome.cat("usage: fault NAME [ARG] | clear [NAME]  (NAME: ", Fault.synopsis(), ")");
        if (args.length >= 1 && "clear".equals(args[0])) {
            if (args.length == 1) {
                home.clearFaults();
                return OK;
            }
            Fault fault = args.length == 2 ? Fault.parse(args[1]) : null;
            if (fault == null) {
                return usage(args.length == 2 ? unknown(args[1]) : "fault: clear takes at most one fault", usage);
            }
            home.clearFault(fault);
            return OK;
        }
        if (args.length == 0) {
            return usage("fault: no fault named", usage);
        }
        Fault fault = Fault.parse(args[0]);
        if (fault == null) {
            return usage(unknown(args[0]), usage);
        }
        int min = fault.takesArgument() && !fault.argumentOptional() ? 2 : 1;
        int max = fault.takesArgument() ? 2 : 1;
        if (args.length < min || args.length > max) {
            return usage(SimHome.cat("fault: ", args[0], fault.takesArgument()
                    ? SimHome.cat(" takes ", fault.argumentOptional() ? "at most " : "", "one argument: ",
                    fault.argumentHint()) : " takes no argument"), usage);
        }
        try {
            home.setFault(fault, args.length == 2 ? args[1] : null);
        } catch (IllegalArgumentException e) {
            return usage(SimHome.cat("fault: ", e.getMessage()), usage);
        }
        return OK;
    }

    /** The one line for a fault name that is not one. */
    static String unknown(String word) {
        return SimHome.cat("fault: unknown fault ", word, " (known: ", Fault.synopsis(), "; or clear)");
    }

    // ---- helpers -------------------------------------------------------------------------------

    private int usage(String reason, String usage) {
        err.println(reason);
        err.println(usage);
        return USAGE;
    }

    /** The java launcher of this JVM, to start the service with the same runtime. */
    static String javaCommand() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static void hangForever() {
        while (true) {
            SimHome.sleep(60_000);
        }
    }
}
