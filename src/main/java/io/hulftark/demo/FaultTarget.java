package io.hulftark.demo;

/** What the fault injector can do to one node's simulated HULFT. Each call returns at once or within seconds. */
public interface FaultTarget {

    /** Kills the running service abruptly. */
    void crash();

    /** Makes the running service close one of its ports; returns the port. */
    int refusePort();

    /** Makes the next {@code utlsvcctl -c start} hang. */
    void hangStart();

    /** Starts the service behind LifeKeeper's back (as an operator starting it by hand would). */
    void startService();

    /**
     * Makes the node's conf_file (hulenv.cnf) unreadable, for root too: the node could not take over. Returns the
     * conf_file's path.
     */
    java.nio.file.Path makeConfUnreadable();

    /** Removes every kept fault and undoes every change a fault made to the node (a repaired node). */
    void clearFaults();
}
