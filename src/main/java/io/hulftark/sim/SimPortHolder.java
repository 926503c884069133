package io.hulftark.sim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The other program of the {@code port-held} fault: {@code SimPortHolder --home HOME --port PORT} listens on PORT on
 * the address the simulated service would use (myhostname of hulenv.cnf when it is on this machine, else loopback),
 * accepting and closing connections, then writes its pid to {@code var/port-held.PORT}. It runs until SIGTERM
 * ({@code fault clear}), when it closes the port and removes that file. Its output goes to {@code var/port-held.log}.
 */
public final class SimPortHolder {

    private SimPortHolder() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4 || !"--home".equals(args[0]) || !"--port".equals(args[2])) {
            System.err.println("usage: SimPortHolder --home HOME --port PORT");
            System.exit(SimTool.USAGE);
        }
        SimHome home = new SimHome(Path.of(args[1]));
        NodeFaults faults = new NodeFaults(home);
        int port = (int) SimHome.parseLong(args[3], -1);
        if (port < 1 || port > 65535) {
            System.err.println(SimHome.cat("port-held: ", args[3], " is not a port (1 to 65535)"));
            System.exit(SimTool.USAGE);
        }
        String hostname = "localhost";
        try {
            Map<String, String> conf = SimHome.readConf(faults.realConf());
            hostname = conf.getOrDefault("myhostname", hostname);
        } catch (IOException e) {
            // no hulenv.cnf at all: hold the port on loopback, as the service's fallback would
        }
        InetAddress address = SimService.bindAddress(hostname);
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), 50);
        } catch (IOException e) {
            System.out.println(SimHome.cat("cannot listen on ", address.getHostAddress(), ":", port, ": ",
                    e.getMessage()));
            System.exit(1);
        }
        Path held = faults.heldFile(port);
        long me = ProcessHandle.current().pid();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                socket.close();
                if (SimHome.parseLong(String.valueOf(SimHome.readText(held)).trim(), -1) == me) {
                    Files.deleteIfExists(held);
                }
            } catch (IOException e) {
                // ending anyway; the next fault clear removes a stale file
            }
        }, "port-held-shutdown"));
        SimHome.writeAtomically(held, SimHome.cat(me, "\n"));
        System.out.println(SimHome.cat(java.time.Instant.now(), " holding ", address.getHostAddress(), ":", port,
                " (pid ", me, ")"));
        System.out.flush();
        while (!socket.isClosed()) {
            try (Socket ignored = socket.accept()) {
                // accepted: closing it at once is all another program needs to do to hold the port
            } catch (IOException e) {
                // closed at shutdown, or a client that went away
            }
        }
    }
}
