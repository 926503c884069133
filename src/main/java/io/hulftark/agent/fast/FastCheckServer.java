package io.hulftark.agent.fast;

import io.hulftark.http.security.FileGuard;
import io.hulftark.platform.ProcessScope;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Answers a launcher's read-only check from the running agent, so the launcher need not start a JVM.
 * Only local administrators reach it: a UNIX-domain socket in a folder only this user can enter (mode 0700,
 * socket 0600), or, where there is none (Windows), loopback TCP with a secret in a file only this user (and
 * SYSTEM/Administrators) can read. It answers "cannot" (and the launcher starts its JVM as before) unless the
 * check is allow-listed, its arguments are read-only and the launcher's view of the configuration
 * ({@link FastCheckView}) equals the agent's. Bounded: a few workers, a request read within a deadline, a
 * connection beyond the workers answered "busy" at once.
 */
public final class FastCheckServer implements AutoCloseable {

    /** Where the socket or the key file lives, and how the channel is made. */
    public sealed interface Channel permits Unix, Loopback {
    }

    public record Unix(Path socket) implements Channel {
    }

    public record Loopback(Path keyFile) implements Channel {
    }

    private final Channel channel;
    private final Map<String, FastCheck> checks;
    private final Supplier<List<String>> agentView;
    private final Duration requestTimeout;
    private final FileGuard guard;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timer;
    private final ServerSocketChannel server;
    private final byte[] secret;
    private final Thread acceptor;
    private volatile boolean closed;
    private Object socketKey;

    private FastCheckServer(Channel channel, Map<String, FastCheck> checks, Supplier<List<String>> agentView,
                            int workerCount, Duration requestTimeout, FileGuard guard) throws IOException {
        this.channel = channel;
        this.checks = Map.copyOf(checks);
        this.agentView = agentView;
        this.requestTimeout = requestTimeout;
        this.guard = guard;
        this.workers = new ThreadPoolExecutor(workerCount, workerCount, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemon("fast-check"));
        this.workers.allowCoreThreadTimeOut(true);
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("fast-check-deadline"));
        if (channel instanceof Unix u) {
            this.secret = null;
            this.server = bindUnix(u.socket());
        } else {
            this.secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            this.server = ServerSocketChannel.open();
            this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            writeKeyFile(((Loopback) channel).keyFile(), ((InetSocketAddress) server.getLocalAddress()).getPort());
        }
        this.acceptor = daemon("fast-check-accept").newThread(this::acceptLoop);
        this.acceptor.start();
    }

    public static FastCheckServer start(Channel channel, Map<String, FastCheck> checks,
                                        Supplier<List<String>> agentView, int workers, Duration requestTimeout,
                                        FileGuard guard) throws IOException {
        return new FastCheckServer(channel, checks, agentView, workers, requestTimeout, guard);
    }

    public Channel channel() {
        return channel;
    }

    private ServerSocketChannel bindUnix(Path socket) throws IOException {
        Path folder = socket.toAbsolutePath().getParent();
        guard.createPrivateFolders(folder);
        Optional<String> fault = guard.fault(folder, true);
        if (fault.isPresent()) {
            throw new IOException("cannot serve fast checks: " + fault.get());
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            // Another agent that answers keeps its socket (one agent a node); one that died left it behind.
            if (answers(socket)) {
                throw new IOException("another process answers on " + socket);
            }
            Files.delete(socket);
        }
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(socket), 16);
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        socketKey = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        return s;
    }

    private static boolean answers(Path socket) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void writeKeyFile(Path keyFile, int port) throws IOException {
        Path folder = keyFile.toAbsolutePath().getParent();
        guard.createPrivateFolders(folder);
        Path tmp = guard.createPrivateTempFile(folder, "fast-check");
        Files.writeString(tmp, port + " " + HexFormat.of().formatHex(secret) + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            try {
                workers.execute(() -> serve(client));
            } catch (RejectedExecutionException e) {
                answerAndClose(client, "cannot busy");
            }
        }
    }

    private void serve(SocketChannel client) {
        // A client that does not send its whole request in time is cut off: it cannot hold a worker.
        ScheduledFuture<?> cut = timer.schedule(() -> quietClose(client), requestTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        try (client) {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                    StandardCharsets.UTF_8));
            FastCheckRequest request;
            try {
                request = FastCheckRequest.read(in);
            } catch (IllegalArgumentException e) {
                answer(client, "cannot " + e.getMessage());
                return;
            }
            cut.cancel(false);
            Optional<String> refusal = refusal(request);
            if (refusal.isPresent()) {
                answer(client, "cannot " + refusal.get());
                return;
            }
            FastCheck check = checks.get(request.check());
            Duration bound = check.bound(request.args(), request.env());
            // Over loopback the agent proves it holds the key too: nobody else can answer in its place.
            answer(client, "running " + bound.toMillis() + request.proof()
                    .map(p -> " " + new String(hmac("server " + p.split(" ")[0]), StandardCharsets.US_ASCII))
                    .orElse(""));
            cut = timer.schedule(() -> quietClose(client), bound.plus(requestTimeout).toMillis(), TimeUnit.MILLISECONDS);
            Charset cs = Charset.defaultCharset();
            ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
            ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
            int code;
            try (PrintWriter out = new PrintWriter(new OutputStreamWriter(outBytes, cs), true);
                 PrintWriter err = new PrintWriter(new OutputStreamWriter(errBytes, cs), true)) {
                ProcessScope.open();
                try {
                    code = check.run(request.args(), request.env(), out, err);
                } finally {
                    ProcessScope.close();
                }
            }
            OutputStream o = Channels.newOutputStream(client);
            o.write(("stdout " + encode(outBytes.toByteArray()) + "\nstderr " + encode(errBytes.toByteArray())
                    + "\nexit " + code + "\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
            cut.cancel(false);
        } catch (IOException | RuntimeException e) {
            // The client went away or was cut off: it starts its JVM instead.
        } finally {
            cut.cancel(false);
        }
    }

    private Optional<String> refusal(FastCheckRequest request) {
        if (secret != null) {
            String[] proof = request.proof().orElse("").split(" ");
            if (proof.length != 2 || proof[0].isEmpty() || !MessageDigest.isEqual(
                    proof[1].getBytes(StandardCharsets.US_ASCII), hmac("client " + proof[0]))) {
                return Optional.of("wrong key");
            }
        }
        FastCheck check = checks.get(request.check());
        if (check == null) {
            return Optional.of("check '" + request.check() + "' is not one the agent answers");
        }
        List<String> mine;
        try {
            mine = agentView.get();
        } catch (RuntimeException e) {
            return Optional.of("the agent cannot see its own configuration (" + e.getMessage() + ")");
        }
        String difference = FastCheckView.firstDifference(mine, request.view());
        if (!difference.isEmpty()) {
            return Optional.of("the agent's " + difference + " differs from the launcher's");
        }
        return check.refuse(request.args(), request.env(), request.cwd());
    }

    /** HMAC-SHA256 under the key file's hex text, as hex (Perl's Digest::SHA::hmac_sha256_hex). */
    private byte[] hmac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HexFormat.of().formatHex(secret).getBytes(StandardCharsets.US_ASCII),
                    "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)))
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(SocketChannel client, String what) throws IOException {
        OutputStream o = Channels.newOutputStream(client);
        o.write((FastCheckRequest.MAGIC + " " + what.replaceAll("[\\r\\n]+", " ") + "\n")
                .getBytes(StandardCharsets.UTF_8));
        o.flush();
    }

    private static void answerAndClose(SocketChannel client, String what) {
        try (client) {
            answer(client, what);
        } catch (IOException e) {
            // gone already
        }
    }

    private static void quietClose(SocketChannel client) {
        try {
            client.close();
        } catch (IOException e) {
            // closing is all we wanted
        }
    }

    /** Bytes as ASCII: %, CR, LF, controls and non-ASCII bytes as %XX. */
    static String encode(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int v = b & 0xff;
            if (v == '%' || v < 0x20 && v != '\t' || v >= 0x7f) {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(v >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(v & 15, 16)));
            } else {
                sb.append((char) v);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        workers.shutdownNow();
        timer.shutdownNow();
        try {
            if (channel instanceof Unix u) {
                // Only our own: an agent started since may have taken the path over.
                if (socketKey != null && socketKey.equals(Files.readAttributes(u.socket(), BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS).fileKey())) {
                    Files.deleteIfExists(u.socket());
                }
            } else if (channel instanceof Loopback l) {
                Files.deleteIfExists(l.keyFile());
            }
        } catch (IOException e) {
            // a stale socket or key file is replaced at the next start
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
