package io.hulftark.hulft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class TcpProbeTest {

    private static final Duration BOUND = Duration.ofSeconds(2);

    private final TcpProbe probe = new TcpProbe();

    @Test
    void listeningPortAnswers() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ProbeResult r = probe.probe("127.0.0.1", server.getLocalPort(), BOUND);
            assertTrue(r.ok(), r.toString());
            assertEquals(server.getLocalPort(), r.port());
            assertEquals("0", r.code());
            assertEquals("", r.detail());
            assertTrue(r.latency().compareTo(Duration.ZERO) > 0, r.toString());
            assertTrue(r.latency().compareTo(BOUND) < 0, r.toString());
        }
    }

    @Test
    void closedPortIsRefused() throws IOException {
        int port;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
        }
        ProbeResult r = probe.probe("127.0.0.1", port, BOUND);
        assertFalse(r.ok());
        assertEquals(port, r.port());
        assertEquals("refused", r.code());
        assertFalse(r.detail().isEmpty());
    }

    @Test
    void unknownHostIsUnresolved() {
        ProbeResult r = probe.probe("no-such-host.invalid", 30000, BOUND);
        assertFalse(r.ok());
        assertEquals("unresolved", r.code());
        assertEquals("cannot resolve host no-such-host.invalid", r.detail());
    }

    @Test
    void invalidPortIsAnErrorNotAnException() {
        ProbeResult r = probe.probe("127.0.0.1", 70000, BOUND);
        assertFalse(r.ok());
        assertEquals("error", r.code());
    }

    @Test
    void nameIsTcp() {
        assertEquals("tcp", probe.name());
    }
}
