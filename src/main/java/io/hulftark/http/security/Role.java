package io.hulftark.http.security;

/**
 * VIEWER reads, OPERATOR reads and acts; REPORTER (the fleet view's agents) only sends reports for its own
 * cluster or node, and reads nothing: a node's credential leaks less when it can see no other cluster.
 */
public enum Role {
    VIEWER, OPERATOR, REPORTER;

    public boolean allows(Role needed) {
        return switch (this) {
            case OPERATOR -> needed == VIEWER || needed == OPERATOR;
            case VIEWER -> needed == VIEWER;
            case REPORTER -> needed == REPORTER;
        };
    }
}
