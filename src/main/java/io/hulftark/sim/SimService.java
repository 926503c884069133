package io.hulftark.sim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The simulated HULFT service process: {@code SimService --home HOME}, started by
 * {@code utlsvcctl -c start}. It listens on every port of hulenv.cnf (accepting and closing each
 * connection), writes {@code var/ready} once it does, follows the {@code refuse-port} fault while it
 * runs, and on SIGTERM closes its ports, removes its pid and ready files and exits.
 * Its output goes to {@code var/service.log}.
 */
public final class SimService {

    /** How often the running service re-reads the faults file. */
    static final long FAULT_POLL_MILLIS = 50;

    private final SimHome home;
    private final InetAddress address;
    private final Map<Integer, Listener> listeners = new LinkedHashMap<>();
    private final Set<Integer> ports;
    private boolean stopping;

    private SimService(SimHome home, InetAddress address, Set<Integer> ports) {
        this.home = home;
        this.address = address;
        this.ports = ports;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !"--home".equals(args[0])) {
            System.err.println("usage: SimService --home HOME");
            System.exit(SimTool.USAGE);
        }
        SimHome home = new SimHome(Path.of(args[1]));
        Map<String, String> conf = SimHome.readConf(home.conf());
        String hostname = conf.getOrDefault("myhostname", "localhost");
        SimService service = new SimService(home, bindAddress(hostname),
                new HashSet<>(SimHome.ports(conf).values()));
        log("starting, pid " + ProcessHandle.current().pid() + ", ports " + SimHome.ports(conf)
                + " on " + service.address.getHostAddress() + " (myhostname " + hostname + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(service::shutdown, "sim-shutdown"));

        long slow = SimHome.parseLong(home.faults().getProperty(Fault.SLOW_START.word(), "0"), 0);
        if (slow > 0) {
            log("slow start: waiting " + slow + " ms before listening");
            Thread.sleep(slow);
        }
        try {
            service.reconcile(true);
        } catch (IOException e) {
            log("cannot listen: " + e.getMessage());
            System.exit(1);
        }
        SimHome.writeAtomically(home.readyFile(), ProcessHandle.current().pid() + "\n");
        log("ready");
        while (true) {
            Thread.sleep(FAULT_POLL_MILLIS);
            try {
                service.reconcile(false);
            } catch (IOException e) {
                log("cannot reopen a port (will retry): " + e.getMessage());
            }
        }
    }

    /**
     * Makes the listeners match the configured ports less the refused ones. At start a port that
     * cannot be opened is fatal (like a real service whose port is taken); later it is retried.
     */
    private synchronized void reconcile(boolean atStart) throws IOException {
        if (stopping) {
            return;
        }
        String refusedList = home.faults().getProperty(Fault.REFUSE_PORT.word(), "");
        for (Integer port : ports) {
            boolean refused = SimHome.containsItem(refusedList, port.toString());
            Listener listener = listeners.get(port);
            if (refused && listener != null) {
                listener.close();
                listeners.remove(port);
                log("refusing port " + port + " (fault refuse-port)");
            } else if (!refused && listener == null) {
                ServerSocket socket = new ServerSocket();
                try {
                    socket.setReuseAddress(true);
                    socket.bind(new InetSocketAddress(address, port), 50);
                } catch (IOException e) {
                    socket.close();
                    throw new IOException("port " + port + ": " + e.getMessage(), e);
                }
                Listener l = new Listener(socket);
                listeners.put(port, l);
                l.start();
                log((atStart ? "listening on " : "listening again on ") + address.getHostAddress() + ":" + port);
            } else if (refused && atStart) {
                log("not opening port " + port + " (fault refuse-port)");
            }
        }
    }

    /** On SIGTERM (utlsvcctl stop): close every port, then remove the files that say "running". */
    private void shutdown() {
        synchronized (this) {
            stopping = true;
            for (Listener l : listeners.values()) {
                l.close();
            }
            listeners.clear();
        }
        try {
            long me = ProcessHandle.current().pid();
            if (home.readyPid() == me) {
                Files.deleteIfExists(home.readyFile());
            }
            if (home.recordedPid() == me) {
                Files.deleteIfExists(home.pidFile());
            }
        } catch (IOException e) {
            log("cannot remove the pid or ready file: " + e.getMessage());
        }
        log("stopped");
    }

    /**
     * Listens on {@code myhostname} when it names this machine, so that probes of myhostname reach
     * the service; otherwise (a virtual IP that is not here) on loopback, never on every interface.
     */
    static InetAddress bindAddress(String hostname) {
        try {
            InetAddress a = InetAddress.getByName(hostname);
            if (a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null) {
                return a;
            }
            log("myhostname " + hostname + " (" + a.getHostAddress() + ") is not on this machine: using loopback");
        } catch (IOException e) {
            log("cannot resolve myhostname " + hostname + ": using loopback");
        }
        return InetAddress.getLoopbackAddress();
    }

    private static void log(String line) {
        System.out.println(Instant.now() + " " + line);
        System.out.flush();
    }

    /** Accepts connections on one port and closes each at once: enough for a TCP alive check. */
    private static final class Listener extends Thread {
        private final ServerSocket socket;

        Listener(ServerSocket socket) {
            super("listener-" + socket.getLocalPort());
            this.socket = socket;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!socket.isClosed()) {
                try (Socket ignored = socket.accept()) {
                    // accepted: closing it at once is the whole protocol
                } catch (IOException e) {
                    // closed by close() (refuse-port or shutdown), or a client that went away: go on or end
                }
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
