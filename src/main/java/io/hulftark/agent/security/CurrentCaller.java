package io.hulftark.agent.security;

import jakarta.enterprise.context.RequestScoped;

/** The caller of the current request, set by the authentication filter. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    public Caller get() {
        return caller;
    }

    public void set(Caller caller) {
        this.caller = caller;
    }
}
