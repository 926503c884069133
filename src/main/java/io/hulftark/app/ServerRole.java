package io.hulftark.app;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.Locale;

/**
 * Which long-running service this Quarkus application is: the node agent or the fleet view. One artifact holds
 * both; the command that boots Quarkus sets {@code hulftark.role}, and each role's beans, routes and health
 * checks stay out of the other's way.
 */
public enum ServerRole {
    AGENT, FLEET;

    public static final String KEY = "hulftark.role";

    public static ServerRole current() {
        String value = ConfigProvider.getConfig().getOptionalValue(KEY, String.class).orElse("agent");
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY + " must be agent or fleet, not '" + value + "'");
        }
    }

    /** For {@code @Scheduled(skipExecutionIf = ...)} of the agent's own jobs. */
    @Singleton
    public static class NotAgent implements Scheduled.SkipPredicate {
        @Override
        public boolean test(ScheduledExecution execution) {
            return current() != AGENT;
        }
    }
}
