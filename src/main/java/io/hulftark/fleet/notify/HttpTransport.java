package io.hulftark.fleet.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** A webhook (the signed JSON) or a chat incoming webhook ({"text"}), POSTed; only a 2xx counts as delivered. */
public final class HttpTransport implements Transport {

    private final boolean chat;
    private final URI url;
    private final Optional<String> secret;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient client;

    public HttpTransport(boolean chat, URI url, Optional<String> secret, Duration timeout, Clock clock) {
        this.chat = chat;
        this.url = url;
        this.secret = secret;
        this.timeout = timeout;
        this.clock = clock;
        // No redirects: a 3xx is not the receiver's accept, and the body must not go elsewhere.
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public void send(Delivery delivery, String deliveryId) throws DeliveryException {
        byte[] body = chat ? Payloads.chat(delivery) : Payloads.webhook(delivery, deliveryId, clock.instant());
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json").header("User-Agent", "hulft-ark-fleet")
                .header(Signature.DELIVERY, deliveryId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret.isPresent()) {
            long ts = clock.instant().getEpochSecond();
            request.header(Signature.TIMESTAMP, Long.toString(ts))
                    .header(Signature.HEADER, Signature.sign(secret.get(), ts, body));
        }
        HttpResponse<Void> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            throw new DeliveryException("no answer within " + timeout);
        } catch (IOException e) {
            // The exception's text may name the URL (a token in its path): only its kind is told.
            throw new DeliveryException("cannot reach the receiver (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted");
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new DeliveryException("the receiver answered HTTP " + status);
        }
    }
}
