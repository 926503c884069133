package io.hulftark.fleet.notify;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The configured receivers, checked (one line per mistake, naming the key) and given their transports. */
public final class Receivers {

    /** Sends a mail through the site's SMTP server (Quarkus's mailer in the product). */
    @FunctionalInterface
    public interface MailSender {
        void send(List<String> to, String subject, String text, String deliveryId) throws Exception;
    }

    static final int MIN_SECRET = 16;

    private Receivers() {
    }

    public static List<Dispatcher.Receiver> build(Map<String, NotifyConfig.Receiver> configured, Clock clock,
                                                  Optional<MailSender> mail) {
        List<Dispatcher.Receiver> out = new ArrayList<>();
        configured.forEach((name, r) -> {
            String key = "hulftark.fleet.notify.receivers." + name + ".";
            if (r.foldAbove() < 1) {
                throw new IllegalArgumentException(key + "fold-above must be 1 or more, not " + r.foldAbove());
            }
            if (r.timeout().isNegative() || r.timeout().isZero() || r.maxBackoff().isNegative()
                    || r.repeat().isNegative()) {
                throw new IllegalArgumentException(key + "timeout must be positive, and repeat and max-backoff "
                        + "0 or more");
            }
            Transport transport = switch (r.type()) {
                case WEBHOOK, CHAT -> {
                    URI url = r.url().orElseThrow(() -> new IllegalArgumentException(key + "url is required for a "
                            + r.type().name().toLowerCase(Locale.ROOT) + " receiver"));
                    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
                    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
                        // Not the URL itself in the message: it may carry a token.
                        throw new IllegalArgumentException(key + "url must be an http:// or https:// URL with a host");
                    }
                    if (r.type() == NotifyConfig.Kind.WEBHOOK && r.secret().filter(s -> !s.isBlank()).isEmpty()) {
                        throw new IllegalArgumentException(key + "secret is required for a webhook receiver (the "
                                + "HMAC-SHA256 key its receiver checks X-HulftArk-Signature with)");
                    }
                    if (r.secret().filter(s -> s.length() < MIN_SECRET).isPresent()) {
                        // A short key is guessable, and too short to be cut from the log reliably.
                        throw new IllegalArgumentException(key + "secret must be at least " + MIN_SECRET
                                + " characters");
                    }
                    yield new HttpTransport(r.type() == NotifyConfig.Kind.CHAT, url, r.secret(), r.timeout(), clock);
                }
                case MAIL -> {
                    List<String> to = r.to().orElse(List.of());
                    if (to.isEmpty()) {
                        throw new IllegalArgumentException(key + "to is required for a mail receiver");
                    }
                    MailSender sender = mail.orElseThrow(() -> new IllegalArgumentException(key
                            + "type is mail but no mailer is configured (quarkus.mailer.from, host, port)"));
                    yield (d, id) -> {
                        try {
                            sender.send(to, Payloads.mailSubject(d), Payloads.mailText(d), id);
                        } catch (Exception e) {
                            throw new Transport.DeliveryException("the SMTP server did not accept the mail ("
                                    + e.getClass().getSimpleName() + ": " + oneLine(e) + ")");
                        }
                    };
                }
            };
            out.add(new Dispatcher.Receiver(name, Filter.of(r), r.repeat(), r.foldAbove(), r.maxBackoff(), transport));
        });
        return out;
    }

    /** Every configured credential, for the {@link Redactor}: secrets, URLs and the parts of them that carry tokens. */
    public static List<String> secrets(Map<String, NotifyConfig.Receiver> configured, Optional<String> mailPassword) {
        List<String> out = new ArrayList<>();
        mailPassword.ifPresent(out::add);
        for (NotifyConfig.Receiver r : configured.values()) {
            r.secret().ifPresent(out::add);
            r.url().ifPresent(u -> {
                out.add(u.toString());
                out.add(u.getRawPath());
                out.add(u.getRawQuery());
                out.add(u.getRawUserInfo());
            });
        }
        return out;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        return m.lines().findFirst().orElse("");
    }
}
