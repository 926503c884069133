package io.hulftark.agent.api;

/**
 * An RFC 9457 problem detail, the body of every error of the REST API
 * ({@code application/problem+json}). {@code type} is a URI naming the kind of problem.
 */
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_BASE = "https://hulft-ark.io/problems/";

    public static Problem of(int status, String kind, String title, String detail, String instance) {
        return new Problem(TYPE_BASE + kind, title, status, detail, instance);
    }
}
