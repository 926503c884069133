package io.hulftark.app;

import io.hulftark.http.Problem;
import io.hulftark.http.ProblemMappers;
import io.hulftark.http.security.Caller;
import io.hulftark.http.security.TokenStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads every request body of the API on the event loop, before a worker thread is used. Quarkus REST reads the
 * body of a blocking resource method on its worker thread, from a stream that blocks until the client sends, so a
 * client trickling a byte a second held a worker for as long as it liked; here a body is gathered without a
 * thread and handed to REST whole ({@code RoutingContext.setBody}, which Quarkus REST reads instead of the
 * connection). On the way it applies, whatever the framing (Content-Length or chunked):
 * <ul>
 *   <li>the size limit of {@link ProblemMappers#maxBodyBytes} (413),</li>
 *   <li>{@code hulftark.http.body-timeout} for the whole body (408, the connection closed),</li>
 *   <li>{@code hulftark.http.uploads-per-credential} exchanges with a body per credential (429 with Retry-After)
 *       and {@code hulftark.http.max-uploads} in all (503 with Retry-After; readiness DOWN meanwhile).</li>
 * </ul>
 * A request without a known credential reads nothing: the authentication filter answers 401 on the event loop,
 * and its unread body may take no longer than the timeout either. Each refusal is one WARN line: a client's
 * fault is no error of ours. It also counts the API's exchanges in progress, for {@link CapacityHealth}.
 */
@ApplicationScoped
public class UploadRoutes {

    static final int ORDER = RoleRoutes.ORDER + 1;
    static final String STREAM = "/api/v1/fleet/stream";
    /** The agents' held order requests: like the stream, they hold no worker while they wait. */
    static final String ORDERS = "/api/v1/fleet/orders";
    /** How long a refused upload is still drained, so that the client reads the answer rather than a reset. */
    static final long DRAIN_MILLIS = 1000;
    private static final Logger LOG = Logger.getLogger(UploadRoutes.class);
    private static final Pattern BEARER = Pattern.compile("(?i:bearer) +(\\S+)");

    private final HttpConfig config;
    private final TokenStore tokens;
    private final UploadGate gate;
    private final AtomicInteger inFlight;

    public UploadRoutes(HttpConfig config, TokenStore tokens, UploadGate gate, @Readiness CapacityHealth capacity) {
        this.config = config;
        this.tokens = tokens;
        this.gate = gate;
        this.inFlight = capacity.inFlight();
    }

    @Produces
    @Singleton
    static UploadGate gate(HttpConfig config) {
        return new UploadGate(config.uploadsPerCredential(), config.maxUploads());
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String path = ctx.normalizedPath();
        if (RoleRoutes.underApi(path) && !path.equals(STREAM) && !path.equals(ORDERS)) { // no worker while they last
            inFlight.incrementAndGet();
            ctx.addEndHandler(done -> inFlight.decrementAndGet());
        }
        if (!RoleRoutes.underApi(path) || !hasBody(req) || ctx.getBody() != null) {
            ctx.next();
            return;
        }
        Optional<Caller> caller = credential(req);
        if (caller.isEmpty()) {
            long timeout = config.bodyTimeout().toMillis();
            ctx.vertx().setTimer(timeout, t -> {
                if (!req.isEnded()) {
                    LOG.warnf("%s: closed, the body of a request without a credential did not end within %d ms",
                            who(ctx, null), timeout);
                    req.connection().close();
                }
            });
            ctx.next();
            return;
        }
        String credential = caller.get().name();
        if (path.equals(ProblemMappers.REPORTS)) {
            RoleRoutes.metricsPath(ctx, path); // its template, also when refused or reset before REST matches it
        }
        long limit = ProblemMappers.maxBodyBytes(path);
        long declared = declaredLength(req);
        if (declared > limit) {
            refuse(ctx, credential, 413, "too-large", "Request body too large",
                    "the body has " + declared + " bytes; this API takes at most " + limit, null);
            return;
        }
        switch (gate.acquire(credential)) {
            case CREDENTIAL_BUSY -> refuse(ctx, credential, 429, "too-many-requests", "Too Many Requests",
                    credential + " already has " + gate.perCredential() + " requests with a body in progress; "
                            + "send one after another", retryAfter());
            case FULL -> refuse(ctx, credential, 503, "unavailable", "Service Unavailable",
                    "the service is receiving " + gate.max() + " request bodies at once; try again shortly",
                    retryAfter());
            case ADMITTED -> new Upload(ctx, credential, limit, declared).start();
        }
    }

    /** One body being received; every callback runs on the connection's event loop, one at a time. */
    private final class Upload {
        private final RoutingContext ctx;
        private final String credential;
        private final long limit;
        private final Buffer body;
        private boolean released;
        private boolean refused;
        private long timer = -1;

        Upload(RoutingContext ctx, String credential, long limit, long declared) {
            this.ctx = ctx;
            this.credential = credential;
            this.limit = limit;
            this.body = Buffer.buffer((int) Math.min(Math.max(declared, 1024), limit));
        }

        void start() {
            HttpServerRequest req = ctx.request();
            ctx.addEndHandler(done -> release()); // the exchange is over: answered, failed or its connection closed
            req.handler(this::data);
            req.exceptionHandler(this::failed);
            req.endHandler(v -> ended());
            long timeout = config.bodyTimeout().toMillis();
            timer = ctx.vertx().setTimer(timeout, t -> {
                timer = -1;
                if (!refused && !req.isEnded()) {
                    refused = true;
                    release();
                    send(ctx, credential, 408, "request-timeout", "Request Timeout", "the body did not arrive within "
                            + config.bodyTimeout().toMillis() + " ms (" + body.length() + " bytes so far)", null, 0);
                }
            });
            if ("100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT))) {
                ctx.response().writeContinue(); // admitted: curl, for one, waits a second for this before a large body
            }
            req.resume();
        }

        private void data(Buffer chunk) {
            if (refused) {
                return; // drained: the client reads our answer instead of a reset connection
            }
            if (body.length() + chunk.length() > limit) {
                refused = true;
                cancelTimer();
                release();
                send(ctx, credential, 413, "too-large", "Request body too large",
                        "the body has more than " + limit + " bytes; this API takes at most " + limit, null, DRAIN_MILLIS);
                return;
            }
            body.appendBuffer(chunk);
        }

        private void ended() {
            cancelTimer();
            if (refused) {
                return;
            }
            ctx.setBody(body);
            ctx.next();
        }

        private void failed(Throwable e) {
            cancelTimer();
            release();
            if (!refused) {
                refused = true;
                LOG.warnf("%s: the client went away after %d bytes of the body (%s)", who(ctx, credential), body.length(),
                        e.getClass().getSimpleName());
            }
        }

        private void cancelTimer() {
            if (timer >= 0) {
                ctx.vertx().cancelTimer(timer);
                timer = -1;
            }
        }

        private void release() {
            if (!released) {
                released = true;
                gate.release(credential);
            }
        }
    }

    private String retryAfter() {
        return Long.toString(Math.max(1, (config.bodyTimeout().toMillis() + 999) / 1000));
    }

    private void refuse(RoutingContext ctx, String credential, int status, String kind, String title, String detail,
                        String retryAfter) {
        HttpServerRequest req = ctx.request();
        req.handler(chunk -> { }); // drained, see DRAIN_MILLIS
        req.exceptionHandler(e -> { });
        req.resume();
        send(ctx, credential, status, kind, title, detail, retryAfter, DRAIN_MILLIS);
    }

    /** Answers a problem, logs one WARN line, and closes the connection: the rest of its body is never read. */
    private static void send(RoutingContext ctx, String credential, int status, String kind, String title, String detail,
                             String retryAfter, long closeAfterMillis) {
        LOG.warnf("%s: %d, %s", who(ctx, credential), status, detail);
        HttpServerRequest req = ctx.request();
        if (ctx.response().ended() || ctx.response().closed()) {
            req.connection().close();
            return;
        }
        Problem p = Problem.of(status, kind, title, detail, Problem.instance(decoded(ctx.normalizedPath())));
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close");
        if (retryAfter != null) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        ctx.response().end(RoleRoutes.json(p)).onComplete(sent -> {
            if (closeAfterMillis <= 0 || req.isEnded()) {
                req.connection().close();
            } else {
                ctx.vertx().setTimer(closeAfterMillis, t -> req.connection().close());
            }
        });
    }

    private Optional<Caller> credential(HttpServerRequest req) {
        String header = req.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = BEARER.matcher(header.strip());
        return m.matches() ? tokens.authenticate(m.group(1)) : Optional.empty();
    }

    static boolean hasBody(HttpServerRequest req) {
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        return req.headers().contains(HttpHeaders.TRANSFER_ENCODING) || (length != null && !length.strip().equals("0"));
    }

    /** The declared Content-Length, or -1 when there is none (chunked) or it is not a number (Netty refuses those). */
    static long declaredLength(HttpServerRequest req) {
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The path as JAX-RS gives it (decoded), so that {@link Problem#instance} encodes it once, as REST's answers do. */
    static String decoded(String path) {
        try {
            return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return path;
        }
    }

    private static String who(RoutingContext ctx, String credential) {
        HttpServerRequest req = ctx.request();
        return req.method() + " " + Problem.instance(decoded(ctx.normalizedPath())) + " from "
                + (req.remoteAddress() == null ? "?" : req.remoteAddress().hostAddress())
                + (credential == null ? "" : " (" + credential + ")");
    }
}
