package io.hulftark.agent.push;

import io.hulftark.agent.api.SimAgentResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent of {@link SimAgentResource} (a simulated HULFT, direct mode, checks every second), with tokens of
 * its own and told to push to a fleet view on {@link #FLEET_PORT_PROPERTY} every second. Nothing listens there
 * until a test starts a {@link FleetFixture} on that port: until then, the agent's pushes fail, as in an outage.
 */
public class PushAgentResource implements QuarkusTestResourceLifecycleManager {

    public static final String VIEWER_TOKEN = "hak_push-test-viewer-token";
    public static final String OPERATOR = "otto";
    public static final String OPERATOR_TOKEN = "hak_push-test-operator-token";
    public static final String REPORTER_TOKEN = "hak_push-test-reporter-token";
    public static final String CLUSTER = "test-cluster";
    public static final String NODE = "push-node";
    public static final String TAG = "hulft";
    /** The config key the fleet fixture's port is read back from. */
    public static final String FLEET_PORT_PROPERTY = "test.fleet.port";

    /** The profile every test of this agent shares, so that Quarkus boots it once. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PushAgentResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // A free port, not 8081: other builds on this machine run their Quarkus tests at the same time.
            return Map.of("quarkus.http.test-port", "0");
        }
    }

    private final SimAgentResource sim = new SimAgentResource();
    private Path tokens;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new LinkedHashMap<>(sim.start());
        try {
            tokens = Files.createTempFile("hulft-ark-push-tokens", "");
            Files.writeString(tokens, "viewer-bot viewer " + sha256(VIEWER_TOKEN) + "\n"
                    + OPERATOR + " operator " + sha256(OPERATOR_TOKEN) + "\n", StandardCharsets.UTF_8);
            int fleetPort;
            try (ServerSocket s = new ServerSocket(0)) {
                fleetPort = s.getLocalPort();
            }
            config.put("hulftark.security.tokens-file", tokens.toString());
            config.put("hulftark.cluster", CLUSTER);
            config.put("hulftark.node", NODE);
            config.put("hulftark.fleet.url", "http://127.0.0.1:" + fleetPort);
            config.put("hulftark.fleet.token", REPORTER_TOKEN);
            config.put("hulftark.fleet.heartbeat", "1s");
            config.put("hulftark.fleet.request-timeout", "2s");
            config.put(FLEET_PORT_PROPERTY, Integer.toString(fleetPort));
            return config;
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        sim.stop();
        if (tokens != null) {
            tokens.toFile().delete();
        }
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
