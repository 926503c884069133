package io.hulftark.fleet.store;

/** The store's database failed or refused a write; the message is one line for the log and the problem body. */
public class FleetStoreException extends RuntimeException {

    public FleetStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
