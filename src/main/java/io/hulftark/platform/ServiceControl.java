package io.hulftark.platform;

import java.time.Duration;

/**
 * The service manager of the node (Windows SCM, systemd, or commands from configuration).
 * Every method answers within {@code bound} or throws {@link PlatformException}; a method that
 * cannot tell throws rather than guesses.
 */
public interface ServiceControl {

    /** The current state. A service that does not exist is {@link ServiceState#NOT_INSTALLED}, not an exception. */
    ServiceState state(String service, Duration bound);

    StartType startType(String service, Duration bound);

    /** Makes the service start only on demand ("manual"), leaving every other setting alone. */
    void setDemandStart(String service, Duration bound);
}
