package io.hulftark.hulft;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Connects, closes, reports: the port answers if a TCP connection is accepted within the bound.
 * Name resolution happens before the connect and is not bounded here; {@link PortChecker} bounds it.
 */
public final class TcpProbe implements PortProbe {

    @Override
    public ProbeResult probe(String host, int port, Duration bound) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) {
                return ProbeResult.failure(port, "unresolved", since(start), "cannot resolve host " + host);
            }
            // A timeout of 0 would mean "wait forever" to connect(), so never pass less than 1 ms.
            socket.connect(address, (int) Math.max(1, Math.min(Integer.MAX_VALUE, bound.toMillis())));
            return ProbeResult.success(port, since(start));
        } catch (ConnectException e) {
            return ProbeResult.failure(port, "refused", since(start), message(e));
        } catch (SocketTimeoutException e) {
            return ProbeResult.failure(port, "timeout", since(start), "no answer within " + bound.toMillis() + " ms");
        } catch (NoRouteToHostException e) {
            return ProbeResult.failure(port, "unreachable", since(start), message(e));
        } catch (IOException | IllegalArgumentException e) {
            return ProbeResult.failure(port, "error", since(start), message(e));
        }
    }

    @Override
    public String name() {
        return "tcp";
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
