package io.hulftark.http;

import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.nio.charset.StandardCharsets;

/**
 * An RFC 9457 problem detail, the body of every error of the REST API
 * ({@code application/problem+json}). {@code type} is a URI naming the kind of problem.
 */
@Schema(name = "Problem", description = "An RFC 9457 problem detail (application/problem+json)",
        requiredProperties = {"type", "title", "status", "detail"})
public record Problem(
        @Schema(description = "A URI naming the kind of problem, e.g. https://hulft-ark.io/problems/not-found",
                format = "uri") String type,
        @Schema(description = "The kind of problem in a few words") String title,
        @Schema(description = "The HTTP status code", minimum = "400", maximum = "599") int status,
        @Schema(description = "One line saying what is wrong with this request", maxLength = 200) String detail,
        @Schema(description = "The request's path, percent-encoded and cut to 200 characters", maxLength = 200,
                nullable = true) String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_BASE = "https://hulft-ark.io/problems/";

    static final int MAX_INSTANCE = 200;
    // RFC 3986's pchar (but for its escapes) and '/': what a path may hold unencoded.
    private static final String PATH_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
            + "-._~!$&'()*+,;=:@/";

    /**
     * The request's path for {@code instance}, percent-encoded: the member is a URI reference, and the
     * decoded path that JAX-RS gives (RESTEasy Reactive has no encoded one) need not be one, e.g. with a
     * space or a quote in a tag. At most 200 characters, so that a long path is not echoed in full.
     */
    public static String instance(UriInfo uri) {
        return instance(uri.getPath());
    }

    public static String instance(String path) {
        if (path == null) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (byte x : path.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c < 0x80 && PATH_CHARS.indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        if (b.length() <= MAX_INSTANCE) {
            return b.toString();
        }
        // Cut before an escape that would lose its hex digits, so the result is still a URI reference.
        return b.substring(0, MAX_INSTANCE - 3).replaceFirst("%[0-9A-F]?$", "") + "...";
    }

    public static Problem of(int status, String kind, String title, String detail, String instance) {
        return new Problem(TYPE_BASE + kind, title, status, detail, instance);
    }
}
