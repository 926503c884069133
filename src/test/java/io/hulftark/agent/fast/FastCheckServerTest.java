package io.hulftark.agent.fast;

import io.hulftark.http.security.FileGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server with a stand-in check, asked by the real Perl client over real sockets: what it answers, and each
 * way it refuses (the client then exits 111 and its launcher starts the JVM), within the client's bound.
 */
class FastCheckServerTest {

    static final int FALLBACK = 111;

    @TempDir
    Path dir;
    Path app;
    Path cwd;
    Map<String, String> env;
    FastCheckServer server;
    final List<List<String>> ran = new ArrayList<>();
    volatile CountDownLatch hold;

    final FastCheck standIn = new FastCheck() {
        @Override
        public Optional<String> refuse(List<String> args, Path clientCwd) {
            return args.contains("--write") ? Optional.of("not read-only") : Optional.empty();
        }

        @Override
        public Duration bound(List<String> args) {
            return Duration.ofSeconds(5);
        }

        @Override
        public int run(List<String> args, PrintWriter out, PrintWriter err) {
            synchronized (ran) {
                ran.add(args);
            }
            if (hold != null) {
                try {
                    hold.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            out.println("stdout line");
            err.println("51050007 ERROR Failed to check the port used by HULFT8 Service (port = 30000, code = 1)");
            err.print("100% done, ça va\tno newline");
            return 1;
        }
    };

    @BeforeEach
    void layOut() throws IOException {
        app = Files.createDirectories(dir.resolve("app"));
        Files.writeString(app.resolve("quarkus-run.jar"), "runner");
        cwd = Files.createDirectories(dir.resolve("cwd"));
        env = new HashMap<>(Map.of("PATH", "/usr/bin:/bin", "LKROOT", "/opt/LifeKeeper",
                "HULFTARK_FAST_SOCKET", dir.resolve("fast/check.sock").toString()));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The agent's view: the client's environment as it is now (later changes are the launcher's alone). */
    Supplier<List<String>> sameView() {
        Map<String, String> agentEnv = Map.copyOf(env);
        return () -> {
            try {
                return FastCheckView.of(app, cwd, agentEnv, new Properties(),
                        System.getProperty("user.name"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    FastCheckServer start(FastCheckServer.Channel channel, Supplier<List<String>> view, int workers,
                          Duration requestTimeout) throws IOException {
        server = FastCheckServer.start(channel, Map.of("lifekeeper", standIn), view, workers, requestTimeout,
                FileGuard.of(FileSystems.getDefault()));
        return server;
    }

    PerlClient.Result ask(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(app.toString(), "lifekeeper"));
        all.addAll(List.of(args));
        return PerlClient.run(cwd, env, all.toArray(String[]::new));
    }

    @Test
    void theAnswerIsTheChecksOwnExitCodeAndOutputByteForByte() throws Exception {
        start(new FastCheckServer.Unix(dir.resolve("fast/check.sock")), sameView(), 2, Duration.ofSeconds(1));
        PerlClient.Result r = ask("--script", "/x/!quickCheck/hulft-ark-lk", "-t", "hulft");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("stdout line\n");
        assertThat(r.err()).isEqualTo("51050007 ERROR Failed to check the port used by HULFT8 Service "
                + "(port = 30000, code = 1)\n100% done, ça va\tno newline");
        assertThat(ran).containsExactly(List.of("--script", "/x/!quickCheck/hulft-ark-lk", "-t", "hulft"));
        // The channel is the agent's alone: a private folder, a private socket.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("fast")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("fast/check.sock"))))
                .isEqualTo("rw-------");
    }

    @Test
    void theDebugLineSaysWhichPathAnswered() throws Exception {
        start(new FastCheckServer.Unix(dir.resolve("fast/check.sock")), sameView(), 2, Duration.ofSeconds(1));
        env.put("HULFTARK_FAST_DEBUG", "1");
        assertThat(ask("--script", "/x/!quickCheck/s").err())
                .startsWith("hulft-ark-fast: debug: lifekeeper answered by the node agent (fast path)\n");
        server.close();
        assertThat(ask("--script", "/x/!quickCheck/s").err())
                .startsWith("hulft-ark-fast: debug: lifekeeper by a JVM: the node agent did not answer");
    }

    @Test
    void anotherConfigurationIsNotAnsweredAndNamesWhatDiffers() throws Exception {
        start(new FastCheckServer.Unix(dir.resolve("fast/check.sock")), sameView(), 2, Duration.ofSeconds(1));
        env.put("HULFTARK_FAST_DEBUG", "1");
        env.put("HULFTARK_PROBE", "utlalivecheck");   // the launcher's JVM would read this; the agent does not
        PerlClient.Result r = ask("--script", "/x/!quickCheck/s");
        assertThat(r.exit()).isEqualTo(FALLBACK);
        assertThat(r.err()).contains("the agent's env HULFTARK_PROBE differs from the launcher's");
        assertThat(ran).isEmpty();
    }

    @Test
    void aCheckThatIsNotReadOnlyOrNotAllowListedIsNotRun() throws Exception {
        start(new FastCheckServer.Unix(dir.resolve("fast/check.sock")), sameView(), 2, Duration.ofSeconds(1));
        assertThat(ask("--write").exit()).isEqualTo(FALLBACK);
        List<String> other = List.of(app.toString(), "restore", "-t", "hulft");
        assertThat(PerlClient.run(cwd, env, other.toArray(String[]::new)).exit()).isEqualTo(FALLBACK);
        assertThat(ran).isEmpty();
    }

    @Test
    void noAgentFallsBackAtOnce() throws Exception {
        PerlClient.Result r = ask("--script", "/x/!quickCheck/s");
        assertThat(r.exit()).isEqualTo(FALLBACK);
        assertThat(r.out()).isEmpty();
        assertThat(r.millis()).isLessThan(5_000);
    }

    @Test
    void aSocketOrFolderOthersCouldUseIsNotTrusted() throws Exception {
        start(new FastCheckServer.Unix(dir.resolve("fast/check.sock")), sameView(), 2, Duration.ofSeconds(1));
        env.put("HULFTARK_FAST_DEBUG", "1");
        Files.setPosixFilePermissions(dir.resolve("fast/check.sock"), PosixFilePermissions.fromString("rw-rw-rw-"));
        PerlClient.Result r = ask("--script", "/x/!quickCheck/s");
        assertThat(r.exit()).isEqualTo(FALLBACK);
        assertThat(r.err()).contains("check.sock has mode 0666, not 0600");
        Files.setPosixFilePermissions(dir.resolve("fast/check.sock"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir.resolve("fast"), PosixFilePermissions.fromString("rwxr-xr-x"));
        r = ask("--script", "/x/!quickCheck/s");
        assertThat(r.exit()).isEqualTo(FALLBACK);
        assertThat(r.err()).contains("fast has mode 0755, not 0700");
        assertThat(ran).isEmpty();
    }

    @Test
    void anAgentThatAcceptsAndNeverAnswersIsLeftAfterOneSecond() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("fast"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        Path socket = folder.resolve("check.sock");
        try (ServerSocketChannel hung = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            hung.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            List<SocketChannel> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    accepted.add(hung.accept());  // and then nothing, ever
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.start();
            env.put("HULFTARK_FAST_DEBUG", "1");
            PerlClient.Result r = ask("--script", "/x/!quickCheck/s");
            assertThat(r.exit()).isEqualTo(FALLBACK);
            assertThat(r.err()).contains("no answer within 1 s");
            assertThat(r.millis()).isBetween(900L, 4_000L);
            acceptor.join(1000);
            for (SocketChannel c : accepted) {
                c.close();
            }
        }
    }

    @Test
    void aHungClientCannotHoldTheOnlyWorker() throws Exception {
        start(new FastCheckServer.Unix(dir.resolve("fast/check.sock")), sameView(), 1, Duration.ofMillis(300));
        try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("fast/check.sock")))) {
            silent.write(ByteBuffer.wrap("HAFC1\n".getBytes(StandardCharsets.US_ASCII)));  // and no more
            Thread.sleep(500);
            PerlClient.Result r = ask("--script", "/x/!quickCheck/s");
            assertThat(r.exit()).as(r.err()).isEqualTo(1);
            assertThat(silent.read(ByteBuffer.allocate(64))).as("cut off").isEqualTo(-1);
        }
    }

    @Test
    void beyondItsWorkersTheAgentSaysBusyAndTheLauncherDoesNotWait() throws Exception {
        start(new FastCheckServer.Unix(dir.resolve("fast/check.sock")), sameView(), 1, Duration.ofSeconds(1));
        hold = new CountDownLatch(1);
        Thread first = new Thread(() -> {
            try {
                ask("--script", "/x/!quickCheck/first");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        first.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ran.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        env.put("HULFTARK_FAST_DEBUG", "1");
        PerlClient.Result r = ask("--script", "/x/!quickCheck/second");
        hold.countDown();
        first.join(10_000);
        assertThat(r.exit()).isEqualTo(FALLBACK);
        assertThat(r.err()).contains("busy");
    }

    @Test
    void overLoopbackTheKeyFileAnswersAndOnlyItsHolder() throws Exception {
        Path key = dir.resolve("state/fast-check.key");
        start(new FastCheckServer.Loopback(key), sameView(), 2, Duration.ofSeconds(1));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        env.put("HULFTARK_FAST_KEY", key.toString());
        PerlClient.Result r = ask("--script", "/x/!quickCheck/s");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("stdout line\n");

        // Another key: the agent refuses.
        String[] portAndKey = Files.readString(key).strip().split(" ");
        Path wrong = dir.resolve("wrong.key");
        Files.writeString(wrong, portAndKey[0] + " " + "ab".repeat(32) + "\n");
        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
        env.put("HULFTARK_FAST_KEY", wrong.toString());
        env.put("HULFTARK_FAST_DEBUG", "1");
        r = ask("--script", "/x/!quickCheck/s");
        assertThat(r.exit()).isEqualTo(FALLBACK);
        assertThat(r.err()).contains("wrong key");

        // A key file others can read: the client does not use it.
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        env.put("HULFTARK_FAST_KEY", key.toString());
        r = ask("--script", "/x/!quickCheck/s");
        assertThat(r.exit()).isEqualTo(FALLBACK);
        assertThat(r.err()).contains("has mode 0644, not 0600");
        assertThat(ran).hasSize(1);
    }

    @Test
    void anImpostorOnTheAgentsPortCannotAnswerForIt() throws Exception {
        try (ServerSocketChannel impostor = ServerSocketChannel.open()) {
            impostor.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) impostor.getLocalAddress()).getPort();
            Path key = dir.resolve("fast-check.key");
            Files.writeString(key, port + " " + "cd".repeat(32) + "\n");
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Thread t = new Thread(() -> {
                try (SocketChannel c = impostor.accept()) {
                    c.write(ByteBuffer.wrap("HAFC1 running 100 00ff\nstdout \nstderr \nexit 0\n"
                            .getBytes(StandardCharsets.US_ASCII)));
                    Thread.sleep(2000);
                } catch (Exception e) {
                    // done
                }
            });
            t.start();
            env.put("HULFTARK_FAST_KEY", key.toString());
            env.put("HULFTARK_FAST_DEBUG", "1");
            PerlClient.Result r = ask("--script", "/x/!quickCheck/s");
            assertThat(r.exit()).isEqualTo(FALLBACK);
            assertThat(r.err()).contains("did not prove it holds the key");
            t.join(5000);
        }
    }

    @Test
    void theWindowsLauncherAsksTheAgentForQuickCheckAndStartsItsJvmOtherwise() throws Exception {
        Path key = dir.resolve("state/fast-check.key");
        Path actionDir = Files.createDirectories(dir.resolve("Life Keeper/!quickCheck"));
        Path launcher = actionDir.resolve("hulft-ark-lk.pl");
        Files.copy(Path.of("deploy/windows/hulft-ark-lk.pl"), launcher);
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"the JVM ran\" >&2\nexit 42\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        env.put("HULFTARK_HOME", app.toString());
        env.put("HULFTARK_JAVA", java.toString());
        env.put("HULFTARK_FAST_CLIENT", PerlClient.CLIENT.toString());
        env.put("HULFTARK_FAST_KEY", key.toString());
        start(new FastCheckServer.Loopback(key), sameView(), 2, Duration.ofSeconds(1));

        PerlClient.Result r = PerlClient.runPerl(cwd, env, launcher.toString(), "-t", "hulft", "-i", "id");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("stdout line\n");
        assertThat(r.err()).startsWith("51050007 ERROR").doesNotContain("the JVM ran");
        assertThat(ran).containsExactly(List.of("--script", launcher.toString(), "-t", "hulft", "-i", "id"));

        server.close();
        server = null;
        r = PerlClient.runPerl(cwd, env, launcher.toString(), "-t", "hulft", "-i", "id");
        assertThat(r.exit()).isEqualTo(42);
        assertThat(r.err()).isEqualTo("the JVM ran\n");
    }

    @Test
    void onlyQuickCheckTakesTheFastPathInTheWindowsLauncher() throws Exception {
        Path key = dir.resolve("state/fast-check.key");
        Path launcher = Files.createDirectories(dir.resolve("LK/!restore")).resolve("hulft-ark-lk.pl");
        Files.copy(Path.of("deploy/windows/hulft-ark-lk.pl"), launcher);
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\nexit 42\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        env.put("HULFTARK_HOME", app.toString());
        env.put("HULFTARK_JAVA", java.toString());
        env.put("HULFTARK_FAST_CLIENT", PerlClient.CLIENT.toString());
        env.put("HULFTARK_FAST_KEY", key.toString());
        start(new FastCheckServer.Loopback(key), sameView(), 2, Duration.ofSeconds(1));
        assertThat(PerlClient.runPerl(cwd, env, launcher.toString(), "-t", "hulft").exit()).isEqualTo(42);
        assertThat(ran).isEmpty();
    }

    @Test
    void aSecondAgentLeavesTheFirstsSocketAloneAndAStaleOneIsReplaced() throws Exception {
        Path path = dir.resolve("fast/check.sock");
        start(new FastCheckServer.Unix(path), sameView(), 2, Duration.ofSeconds(1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FastCheckServer.start(new FastCheckServer.Unix(path),
                Map.of("lifekeeper", standIn), sameView(), 1, Duration.ofSeconds(1), FileGuard.of(FileSystems.getDefault())))
                .hasMessageContaining("another process answers on");
        assertThat(ask("--script", "/x/!quickCheck/s").exit()).isEqualTo(1);
        server.close();
        // What a killed agent leaves: a socket file nobody listens on.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(path));
        }
        assertThat(path).exists();
        start(new FastCheckServer.Unix(path), sameView(), 2, Duration.ofSeconds(1));
        assertThat(ask("--script", "/x/!quickCheck/s").exit()).isEqualTo(1);
    }
}
