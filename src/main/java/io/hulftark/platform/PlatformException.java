package io.hulftark.platform;

/**
 * An operating-system operation failed. The message is one line, says what failed and why, and is
 * shown to the user as it is (after the kit's own message), so it must never carry a stack trace.
 */
public class PlatformException extends RuntimeException {
    public PlatformException(String message) {
        super(message);
    }

    public PlatformException(String message, Throwable cause) {
        super(message, cause);
    }
}
