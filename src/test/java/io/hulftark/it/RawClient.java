package io.hulftark.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** One HTTP/1.1 request on a raw socket, written as slowly or as oddly as a test likes: what no HTTP client does. */
final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final ByteArrayOutputStream got = new ByteArrayOutputStream();
    private boolean ended;
    private volatile boolean broken;

    /** Connects and sends the request's head; {@code contentLength} -1 for a chunked body. */
    RawClient(int port, String method, String path, String token, long contentLength) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setTcpNoDelay(true);
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Content-Type: application/json\r\n"
                + (contentLength < 0 ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + contentLength + "\r\n")
                + "\r\n";
        Thread reader = new Thread(this::read, "raw-client-" + port);
        reader.setDaemon(true);
        reader.start();
        send(head.getBytes(StandardCharsets.US_ASCII));
    }

    /** Sends bytes as they are; a connection the server closed is remembered, not thrown. */
    void send(byte[] bytes) {
        if (broken) {
            return;
        }
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        } catch (IOException closedByTheServer) {
            broken = true;
        }
    }

    /** Sends {@code body} as one chunk and the last chunk. */
    void sendChunked(byte[] body) {
        send((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        send(body);
        send("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** Whatever the server answered within {@code wait} (until it closed, or nothing more came for 300 ms after some). */
    String answer(Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        synchronized (got) {
            while (!ended && System.nanoTime() < until) {
                int size = got.size();
                long left = (until - System.nanoTime()) / 1_000_000;
                got.wait(Math.max(1, size == 0 ? left : Math.min(left, 300)));
                if (size > 0 && got.size() == size) {
                    break; // quiet for 300 ms after an answer began
                }
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Reads everything the server sends as it comes, so that an answer is kept even when a later write of ours
     * meets a closed connection and the reset would discard what was not yet read.
     */
    private void read() {
        byte[] buf = new byte[8192];
        try {
            InputStream in = socket.getInputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                synchronized (got) {
                    got.write(buf, 0, n);
                    got.notifyAll();
                }
            }
        } catch (IOException closedOrReset) {
            // the end either way
        } finally {
            synchronized (got) {
                ended = true;
                got.notifyAll();
            }
        }
    }

    /** The status code in an answer, 0 when there is none. */
    static int status(String answer) {
        return answer.startsWith("HTTP/1.1 ") && answer.length() >= 12 ? Integer.parseInt(answer.substring(9, 12)) : 0;
    }

    static String body(String answer) {
        int i = answer.indexOf("\r\n\r\n");
        return i < 0 ? "" : answer.substring(i + 4);
    }

    static String header(String answer, String name) {
        for (String line : answer.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return null;
    }

    static Duration timed(ThrowingRunnable r) throws Exception {
        long t0 = System.nanoTime();
        r.run();
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
