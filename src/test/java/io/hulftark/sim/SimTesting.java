package io.hulftark.sim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Running the simulator's real executables and probing real loopback ports, for the tests. */
final class SimTesting {

    private SimTesting() {
    }

    record Result(int code, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** Runs {@code argv} (no shell) and waits at most {@code seconds}; a command that overruns fails the test. */
    static Result run(Path workDir, int seconds, Object... argv) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        for (Object a : argv) {
            command.add(a.toString());
        }
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        Process p = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(command + " did not end within " + seconds + " s");
        }
        Result r = new Result(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** Starts {@code argv} without waiting; its output is discarded. */
    static Process spawn(Object... argv) throws IOException {
        List<String> command = new ArrayList<>();
        for (Object a : argv) {
            command.add(a.toString());
        }
        return new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** Ports that were free a moment ago (bound to port 0, then released), all different. */
    static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Polls {@code accepts(port)} until it equals {@code wanted} or {@code millis} pass. */
    static boolean awaitAccepts(int port, boolean wanted, long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (accepts(port) != wanted) {
            if (System.currentTimeMillis() > until) {
                return false;
            }
            Thread.sleep(25);
        }
        return true;
    }
}
