package io.hulftark.fleet.notify;

import io.agroal.api.AgroalDataSource;
import io.hulftark.app.ServerRole;
import io.hulftark.fleet.FleetConfig;
import io.hulftark.fleet.FleetService;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts the {@link Dispatcher} in the fleet role when receivers are configured (hulftark.fleet.notify.*): one
 * fan-out task and one delivery task per receiver, so a receiver that hangs delays no other.
 */
@ApplicationScoped
public class NotifyService {

    private static final Logger LOG = Logger.getLogger(NotifyService.class);

    private final NotifyConfig config;
    private final FleetConfig fleet;
    private final FleetService service;
    private final Instance<Mailer> mailer;
    private final InjectableInstance<AgroalDataSource> embedded;
    private final InjectableInstance<AgroalDataSource> postgresql;
    private volatile Dispatcher dispatcher;
    private ScheduledExecutorService background;
    private JdbcOutbox outbox;
    private String instance;

    public NotifyService(NotifyConfig config, FleetConfig fleet, FleetService service, Instance<Mailer> mailer,
                         @DataSource("embedded") InjectableInstance<AgroalDataSource> embedded,
                         @DataSource("postgresql") InjectableInstance<AgroalDataSource> postgresql) {
        this.config = config;
        this.fleet = fleet;
        this.service = service;
        this.mailer = mailer;
        this.embedded = embedded;
        this.postgresql = postgresql;
    }

    /** Whether this process sends notifications: the fleet role with at least one receiver. */
    public static boolean enabled(NotifyConfig config) {
        return ServerRole.current() == ServerRole.FLEET && !config.receivers().isEmpty();
    }

    // After FleetService (default priority), whose store records the changes this reads.
    void start(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) StartupEvent event) {
        if (!enabled(config)) {
            return;
        }
        Clock clock = Clock.systemUTC();
        Optional<Receivers.MailSender> mail = Optional.of((to, subject, text, id) -> mailer.get().send(
                new Mail().setTo(to).setSubject(subject).setText(text).addHeader(Signature.DELIVERY, id)));
        List<Dispatcher.Receiver> receivers = Receivers.build(config.receivers(), clock, mail);
        Redactor redactor = new Redactor(Receivers.secrets(config.receivers(),
                ConfigProvider.getConfig().getOptionalValue("quarkus.mailer.password", String.class)));
        if (config.receivers().values().stream().anyMatch(r -> r.type() == NotifyConfig.Kind.MAIL)
                && ConfigProvider.getConfig().getOptionalValue("quarkus.mailer.from", String.class).isEmpty()) {
            throw new IllegalArgumentException("a mail receiver is configured but quarkus.mailer.from is not set");
        }
        AgroalDataSource ds = (fleet.store() == FleetConfig.Store.EMBEDDED ? embedded : postgresql).getActive();
        outbox = new JdbcOutbox(ds);
        instance = host() + "/" + UUID.randomUUID();
        dispatcher = new Dispatcher(outbox, receivers,
                names -> service.store().rows(names, clock.instant()), clock, instance,
                config.lease(), redactor);
        background = Executors.newScheduledThreadPool(1 + receivers.size(), r -> {
            Thread t = new Thread(r, "fleet-notify");
            t.setDaemon(true);
            return t;
        });
        long every = config.every().toMillis();
        background.scheduleWithFixedDelay(guarded("fan-out", dispatcher::fanOut, redactor), every, every,
                TimeUnit.MILLISECONDS);
        for (String name : dispatcher.receivers()) {
            background.scheduleWithFixedDelay(guarded("delivery to " + name, () -> dispatcher.deliver(name), redactor),
                    every, every, TimeUnit.MILLISECONDS);
        }
        LOG.infof("notify: %d receivers (%s), every %s", receivers.size(), String.join(", ", dispatcher.receivers()),
                config.every());
    }

    private static Runnable guarded(String what, Runnable task, Redactor redactor) {
        String[] last = {null}; // one line per change of cause, not one a round
        return () -> {
            try {
                task.run();
                last[0] = null;
            } catch (RuntimeException e) {
                String reason = redactor.apply(String.valueOf(e.getMessage()));
                if (!reason.equals(last[0])) {
                    LOG.warnf("notify: %s failed: %s", what, reason);
                }
                last[0] = reason;
            }
        };
    }

    void stop(@Observes ShutdownEvent event) {
        if (background == null) {
            return;
        }
        background.shutdown(); // a delivery in flight finishes, so its message is marked sent or kept
        try {
            if (!background.awaitTermination(10, TimeUnit.SECONDS)) {
                background.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            outbox.releaseAll(instance); // the next start (or another instance) need not wait out the leases
        } catch (RuntimeException e) {
            LOG.debugf("notify: leases not released: %s", e.getMessage());
        }
    }

    /** Each receiver's delivery status (nothing of its configuration); empty when notifications are off. */
    public List<JdbcOutbox.Status> status() {
        Dispatcher d = dispatcher;
        return d == null ? List.of() : d.status();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "fleet";
        }
    }
}
