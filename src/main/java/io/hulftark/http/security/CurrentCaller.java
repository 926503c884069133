package io.hulftark.http.security;

import jakarta.enterprise.context.RequestScoped;

import java.util.Optional;

/** Who made this API request, as {@link AuthFilter} found them; resources inject it to record who asked. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    /** @throws IllegalStateException outside an authenticated request under /api/v1 */
    public Caller get() {
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller in this request");
        }
        return caller;
    }

    Optional<Caller> find() {
        return Optional.ofNullable(caller);
    }

    void set(Caller caller) {
        this.caller = caller;
    }
}
