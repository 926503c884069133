package io.hulftark.fleet.notify;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The webhook's signature: X-HulftArk-Signature: sha256=HEX, where HEX is the HMAC-SHA256, keyed with the
 * receiver's secret, of the X-HulftArk-Timestamp value (seconds since the epoch), a ".", and the body's bytes.
 * A receiver recomputes it, compares in constant time, and refuses a timestamp older than a few minutes (replay).
 */
public final class Signature {

    public static final String HEADER = "X-HulftArk-Signature";
    public static final String TIMESTAMP = "X-HulftArk-Timestamp";
    public static final String DELIVERY = "X-HulftArk-Delivery";

    private Signature() {
    }

    public static String sign(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage(), e);
        }
    }

    /** The receiver's check: a signature of this body and timestamp, and the timestamp within {@code toleranceSeconds}. */
    public static boolean verify(String secret, String timestamp, String signature, byte[] body, long nowSeconds,
                                 long toleranceSeconds) {
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException | NullPointerException e) {
            return false;
        }
        if (Math.abs(nowSeconds - ts) > toleranceSeconds || signature == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(secret, ts, body).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }
}
