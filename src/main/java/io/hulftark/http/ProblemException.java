package io.hulftark.http;

/** Thrown by the REST layer to answer with a problem detail; mapped in one place. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String kind;
    private final String title;

    public ProblemException(int status, String kind, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.kind = kind;
        this.title = title;
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(404, "not-found", "Not found", what);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "bad-request", "Bad request", detail);
    }

    public int status() {
        return status;
    }

    public String kind() {
        return kind;
    }

    public String title() {
        return title;
    }
}
