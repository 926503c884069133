package io.hulftark.fleet.store;

/** An acknowledgement the cluster's state refuses (it is OK: there is no problem); the message is one line. */
public final class AcknowledgementRefusedException extends RuntimeException {

    public AcknowledgementRefusedException(String message) {
        super(message, null, false, false);
    }
}
