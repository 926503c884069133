package io.hulftark.fleet.notify;

import io.hulftark.fleet.view.ClusterRow;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Notifications, without the framework: {@link #fanOut()} turns recorded state changes and due repeats into
 * messages per receiver ({@link Rules}); {@link #deliver(String)} sends one receiver's messages if this instance
 * holds its lease, folding a burst or a backlog into one summary ({@link Delivery#plan}) and backing off while the
 * receiver does not accept ({@link Backoff}). Both are safe to run on several instances on one database.
 */
public final class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    /** What the dispatcher needs of one configured receiver. */
    public record Receiver(String name, Filter filter, Duration repeat, int foldAbove, Duration maxBackoff,
                           Transport transport) {
    }

    private final JdbcOutbox outbox;
    private final Map<String, Receiver> receivers;
    private final Function<Collection<String>, Map<String, ClusterRow>> clusters;
    private final Clock clock;
    private final String instance;
    private final Duration lease;
    private final Redactor redactor;
    /** The last failure logged per receiver: one line per change of cause, not one per attempt. */
    private final Map<String, String> lastLogged = new ConcurrentHashMap<>();

    /**
     * @param clusters the clusters' rows now, for acknowledgement and maintenance (absent: no such cluster)
     * @param instance this instance's id in leases (unique per process)
     * @param redactor removes every configured credential from what is logged or kept as an error
     */
    public Dispatcher(JdbcOutbox outbox, List<Receiver> receivers, Function<Collection<String>, Map<String, ClusterRow>> clusters,
                      Clock clock, String instance, Duration lease, Redactor redactor) {
        this.outbox = outbox;
        this.receivers = new LinkedHashMap<>();
        receivers.forEach(r -> this.receivers.put(r.name(), r));
        this.clusters = clusters;
        this.clock = clock;
        this.instance = instance;
        this.lease = lease;
        this.redactor = redactor;
        outbox.ensureReceivers(this.receivers.keySet());
    }

    public List<String> receivers() {
        return List.copyOf(receivers.keySet());
    }

    /** One fan-out round; false when another instance was running one. */
    public boolean fanOut() {
        Instant now = clock.instant();
        return outbox.fanOut(now, round -> {
            Set<String> names = new HashSet<>(); // one read for the round's clusters
            round.changes().forEach(ch -> names.add(ch.cluster()));
            round.dueRepeats().forEach(p -> names.add(p.cluster()));
            Map<String, ClusterRow> rows = clusters.apply(names);
            Function<String, Optional<ClusterRow>> row = name -> Optional.ofNullable(rows.get(name));
            for (Change change : round.changes()) {
                Optional<ClusterRow> r = row.apply(change.cluster());
                if (change.kind() != Change.Kind.STATE) {
                    for (Receiver receiver : receivers.values()) {
                        Optional<Problem> open = round.problem(receiver.name(), change.cluster());
                        apply(round, receiver.name(), change.cluster(), change.kind() == Change.Kind.ACKNOWLEDGED
                                ? Rules.onAcknowledged(change, open)
                                : Rules.onAckEnded(change, open, r, receiver.repeat(), now));
                    }
                    continue;
                }
                boolean quiet = r.map(x -> Rules.quiet(x, now)).orElse(false);
                var labels = r.map(Rules::labels).orElse(Map.of());
                for (Receiver receiver : receivers.values()) {
                    Rules.Outcome o = Rules.onChange(receiver.name(), receiver.filter(), receiver.repeat(), change,
                            round.problem(receiver.name(), change.cluster()), quiet, labels);
                    apply(round, receiver.name(), change.cluster(), o);
                }
            }
            for (Problem p : round.dueRepeats()) {
                Receiver receiver = receivers.get(p.receiver());
                if (receiver == null) {
                    round.drop(p.receiver(), p.cluster()); // a receiver no longer configured
                    continue;
                }
                if (round.problem(p.receiver(), p.cluster()).filter(x -> x.equals(p)).isEmpty()) {
                    continue; // a change of this round replaced it
                }
                apply(round, p.receiver(), p.cluster(),
                        Rules.onRepeatDue(p, row.apply(p.cluster()), receiver.repeat(), now));
            }
        });
    }

    private static void apply(JdbcOutbox.FanOut round, String receiver, String cluster, Rules.Outcome o) {
        o.message().ifPresent(round::send);
        if (o.problem().isPresent()) {
            round.put(o.problem().get());
        } else if (round.problem(receiver, cluster).isPresent()) {
            round.drop(receiver, cluster);
        }
    }

    /**
     * Sends the receiver's due messages if this instance can take its lease. Returns how many messages the
     * receiver accepted in this round.
     */
    public int deliver(String name) {
        Receiver receiver = receivers.get(name);
        Instant now = clock.instant();
        Optional<JdbcOutbox.Lease> claimed = outbox.claim(name, instance, now, now.plus(lease));
        if (claimed.isEmpty()) {
            return 0;
        }
        JdbcOutbox.Lease l = claimed.get();
        Instant leasedAt = now;
        int accepted = 0;
        try {
            List<Message> due = outbox.pending(name);
            for (Delivery d : Delivery.plan(due, receiver.foldAbove(), l.failingSince())) {
                String id = d.id(name);
                try {
                    receiver.transport().send(d, id);
                } catch (Transport.DeliveryException e) {
                    fail(receiver, l, redactor.apply(e.getMessage()), due.size() - accepted);
                    return accepted;
                } catch (RuntimeException e) { // a transport's bug must not lose the message or its reason
                    fail(receiver, l, redactor.apply(e.getClass().getSimpleName() + ": " + e.getMessage()),
                            due.size() - accepted);
                    return accepted;
                }
                outbox.delivered(l, d.messages(), clock.instant());
                accepted += d.messages().size();
                if (l.failingSince() != null) {
                    LOG.infof("notify: receiver %s accepts again; %d changes went as %s", name, d.messages().size(),
                            d.summary() ? "one summary" : "one message");
                    l = new JdbcOutbox.Lease(name, instance, 0, null);
                }
                lastLogged.remove(name);
                Instant t = clock.instant();
                if (t.isAfter(leasedAt.plus(lease.dividedBy(2)))) { // renewed at half time, not per message
                    if (!outbox.renew(l, t.plus(lease))) {
                        return accepted; // another instance took it over after our lease ran out
                    }
                    leasedAt = t;
                }
            }
            outbox.release(l);
            return accepted;
        } catch (RuntimeException e) {
            String reason = redactor.apply(String.valueOf(e.getMessage()));
            if (!reason.equals(lastLogged.put(name, reason))) {
                LOG.warnf("notify: receiver %s: %s", name, reason);
            }
            return accepted;
        }
    }

    private void fail(Receiver receiver, JdbcOutbox.Lease l, String reason, int pending) {
        Instant now = clock.instant();
        int failures = l.failures() + 1;
        Duration wait = Backoff.after(failures, receiver.maxBackoff());
        outbox.failed(l, failures, l.failingSince() == null ? now : l.failingSince(), now.plus(wait), reason);
        if (!reason.equals(lastLogged.put(receiver.name(), reason))) {
            LOG.warnf("notify: receiver %s did not accept: %s; %d messages wait, tried again with back-off "
                    + "(next in %s)", receiver.name(), reason, pending, wait);
        }
    }

    public List<JdbcOutbox.Status> status() {
        return outbox.status(receivers.keySet());
    }
}
