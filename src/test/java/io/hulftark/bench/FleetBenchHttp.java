package io.hulftark.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One kept-alive HTTP/1.1 connection for {@link FleetBench}: a blocking socket, a request written in one go, the
 * response read to its end (Content-Length or chunked). Far cheaper per request than a general client, so the
 * load generator leaves the two cores to the fleet view. One thread uses it at a time; loopback only.
 */
final class FleetBenchHttp implements Closeable {

    /** A response: its status and, when asked for, its body. */
    record Response(int status, byte[] body) {
        String text() {
            return body == null ? "" : new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private final String hostHeader;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int used;

    FleetBenchHttp(String host, int port) {
        if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
            throw new IllegalArgumentException("loopback only, not " + host);
        }
        this.host = host;
        this.port = port;
        this.hostHeader = host + ":" + port;
    }

    Response get(String path, String token, boolean keepBody) throws IOException {
        return exchange("GET", path, token, null, keepBody);
    }

    Response post(String path, String token, byte[] json, boolean keepBody) throws IOException {
        return exchange("POST", path, token, json, keepBody);
    }

    /** A reused connection the server closed meanwhile fails on first use: then once more on a new one. */
    private Response exchange(String method, String path, String token, byte[] body, boolean keepBody)
            throws IOException {
        boolean reused = socket != null && used > 0;
        try {
            return once(method, path, token, body, keepBody);
        } catch (IOException e) {
            close();
            if (!reused) {
                throw e;
            }
            return once(method, path, token, body, keepBody);
        }
    }

    private Response once(String method, String path, String token, byte[] body, boolean keepBody)
            throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress(host, port), 2_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
            used = 0;
        }
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(hostHeader).append("\r\nAuthorization: Bearer ").append(token).append("\r\nAccept: application/json\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null) {
            out.write(h);
        } else {
            byte[] all = new byte[h.length + body.length]; // one write, one segment: no Nagle/delayed-ACK stall
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(body, 0, all, h.length, body.length);
            out.write(all);
        }
        out.flush();
        used++;
        return read(keepBody);
    }

    private Response read(boolean keepBody) throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> closeAfter = value.contains("close");
                default -> { }
            }
        }
        ByteArrayOutputStream kept = keepBody ? new ByteArrayOutputStream() : null;
        if (chunked) {
            for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                 size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                copy(size, kept);
                line();
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // trailers: none expected, skipped
            }
        } else if (length >= 0) {
            copy(length, kept);
        } else {
            closeAfter = true; // no length: the body ends with the connection
            copy(Long.MAX_VALUE, kept);
        }
        if (closeAfter) {
            close();
        }
        return new Response(code, kept == null ? null : kept.toByteArray());
    }

    private void copy(long n, ByteArrayOutputStream to) throws IOException {
        boolean untilEnd = n == Long.MAX_VALUE;
        byte[] buf = new byte[8192];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                if (untilEnd) {
                    return;
                }
                throw new EOFException("the connection closed inside a response body");
            }
            if (to != null) {
                to.write(buf, 0, r);
            }
            n -= r;
        }
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the connection closed inside a response head");
            }
            if (b != '\r') {
                s.append((char) b);
            }
        }
        return s.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken socket: nothing to do
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
