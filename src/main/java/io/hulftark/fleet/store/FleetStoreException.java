package io.hulftark.fleet.store;

import java.util.Optional;

/**
 * The store's database failed or refused a write; the message is one line for the log and the problem body.
 * With a {@link StoreFault} the store cannot take work for a while (a full disk, a closed database, an unreachable
 * server): a 503, not a 500.
 */
public class FleetStoreException extends RuntimeException {

    private final transient StoreFault fault;

    public FleetStoreException(String message, Throwable cause) {
        this(message, cause, cause == null ? null : StoreFault.of(cause).orElse(null));
    }

    public FleetStoreException(String message, Throwable cause, StoreFault fault) {
        super(message, cause);
        this.fault = fault;
    }

    public Optional<StoreFault> fault() {
        return Optional.ofNullable(fault);
    }
}
