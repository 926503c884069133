package io.hulftark.agent.api;

import io.hulftark.cli.SimSettings;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A simulated HULFT with the LifeKeeper resource {@value #TAG} in a fresh temporary folder, a tokens
 * file with one viewer and one operator, and the agent's configuration pointing at both. It has to
 * be a test resource: the simulation must exist before Quarkus boots the agent.
 * <p>
 * Argument {@code mode}: {@code direct} (default) sets {@code hulftark.agent.action-mode=direct};
 * {@code lifekeeper} leaves the key out and gives the stand-in LKROOT a {@code bin/perform_action}
 * that appends its arguments to {@value #PERFORM_ACTION_LOG} under LKROOT. Argument {@code fleet-actions=true}:
 * the agent takes the fleet view's orders, is node {@value #NODE} and has the labels {@value #LABELS}.
 * The tokens file also holds a reporter token (of the fleet view's kind), which the agent must never let act.
 */
public class SimAgentResource implements QuarkusTestResourceLifecycleManager {

    static final String TAG = "hulft";
    static final String CLUSTER = "test-cluster";
    // Fixed, so that a test needs no state shared with this class (they may load in different class loaders).
    static final String VIEWER = "vic";
    static final String VIEWER_TOKEN = "hak_api-test-viewer-token";
    static final String OPERATOR = "olga";
    static final String OPERATOR_TOKEN = "hak_api-test-operator-token";
    static final String PERFORM_ACTION_LOG = "perform_action.args";
    static final String REPORTER = "rita";
    static final String REPORTER_TOKEN = "hak_api-test-reporter-token";
    static final String NODE = "node-a";
    static final String LABELS = "site=osaka,env=prod";

    private boolean lifeKeeper;
    private boolean fleetActions;
    private Path dir;
    private SimInstallation sim;

    @Override
    public void init(Map<String, String> args) {
        lifeKeeper = "lifekeeper".equals(args.getOrDefault("mode", "direct"));
        fleetActions = "true".equals(args.get("fleet-actions"));
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("hulft-ark-api");
            SimSpec.Builder spec = SimSpec.builder().resource(TAG, SimSpec.DEFAULT_SERVICE_NAME);
            int[] ports = freePorts(SimSpec.PORT_KEYS.size());
            for (int i = 0; i < ports.length; i++) {
                spec.port(SimSpec.PORT_KEYS.get(i), ports[i]);
            }
            sim = SimInstallation.create(dir.resolve("HULFT Family"), spec.build());
            if (lifeKeeper) {
                writePerformAction(sim.lkroot());
            }
            Path tokens = dir.resolve("tokens");
            Files.writeString(tokens, "# test tokens\n"
                    + VIEWER + " viewer " + sha256(VIEWER_TOKEN) + "\n"
                    + OPERATOR + " operator " + sha256(OPERATOR_TOKEN) + "\n"
                + REPORTER + " reporter:" + CLUSTER + " " + sha256(REPORTER_TOKEN) + "\n", StandardCharsets.UTF_8);

            Map<String, String> config = new LinkedHashMap<>(SimSettings.of(sim, dir.resolve("state")));
            config.put("hulftark.probe", "tcp");
            config.put("hulftark.agent.tags", TAG);
            config.put("hulftark.agent.check-interval", "1s");
            config.put("hulftark.agent.failures-before-failed", "2");
            if (!lifeKeeper) {
                config.put("hulftark.agent.action-mode", "direct");
            }
            config.put("hulftark.security.tokens-file", tokens.toString());
            config.put("hulftark.cluster", CLUSTER);
            if (fleetActions) {
                config.put("hulftark.agent.fleet-actions.enabled", "true");
                config.put("hulftark.agent.labels", LABELS);
                config.put("hulftark.node", NODE);
            }
            return config;
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (sim != null) {
            sim.stopNow();
        }
        if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp folder left behind is harmless
            }
        }
    }

    /** LifeKeeper's perform_action as far as the agent can tell: it takes -t TAG -a ACTION and exits 0. */
    private static void writePerformAction(Path lkroot) throws IOException {
        Path script = lkroot.resolve("bin").resolve("perform_action");
        Path log = lkroot.resolve(PERFORM_ACTION_LOG);
        Files.writeString(script, "#!/bin/sh\n"
                + "# stand-in for LifeKeeper's perform_action, written by " + SimAgentResource.class.getName() + "\n"
                + "echo \"$*\" >> '" + log.toString().replace("'", "'\\''") + "'\n"
                + "exit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Held open together, so that the system cannot hand out one port twice. */
    private static int[] freePorts(int n) throws IOException {
        ServerSocket[] held = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                held[i] = new ServerSocket(0);
                ports[i] = held[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
