package io.hulftark.agent.security;

/** viewer: reads; operator: reads and actions. */
public enum Role {
    VIEWER, OPERATOR;

    public boolean allows(Role needed) {
        return this == OPERATOR || needed == VIEWER;
    }
}
