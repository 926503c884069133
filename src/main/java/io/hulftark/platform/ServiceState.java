package io.hulftark.platform;

/** What the operating system says about a service, reduced to what the kit decides on. */
public enum ServiceState {
    RUNNING,
    STOPPED,
    START_PENDING,
    STOP_PENDING,
    /** Paused, or any other state in which the service neither runs nor is cleanly stopped. */
    OTHER,
    NOT_INSTALLED;

    public boolean pending() {
        return this == START_PENDING || this == STOP_PENDING;
    }
}
