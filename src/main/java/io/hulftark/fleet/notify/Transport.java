package io.hulftark.fleet.notify;

/** Sends one delivery to one receiver; returns only once the receiver accepted it (a 2xx, the SMTP accept). */
@FunctionalInterface
public interface Transport {

    void send(Delivery delivery, String deliveryId) throws DeliveryException;

    /** A delivery the receiver did not accept, with a one-line reason that carries no credential. */
    final class DeliveryException extends Exception {
        public DeliveryException(String reason) {
            super(reason, null, false, false);
        }
    }
}
