package io.hulftark.http;

/** The descriptions of the problems every operation of both APIs may answer (class-level {@code @APIResponse}s). */
public final class CommonProblems {

    public static final String UNAUTHORIZED = "No credential, or one this service does not know (WWW-Authenticate says "
            + "how to send one)";
    public static final String FORBIDDEN = "The credential's role may not do this";
    public static final String TOO_LARGE = "The body is larger than this API takes";
    public static final String UNAVAILABLE = "The service cannot keep what it is asked to now (its disk is full or its "
            + "store cannot be reached); nothing was changed. Try again later";
    public static final String CHALLENGE = "Bearer realm=\"hulft-ark\"";

    private CommonProblems() {
    }
}
