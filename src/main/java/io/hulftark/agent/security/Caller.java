package io.hulftark.agent.security;

/** Who called, as the token file names them. Never carries the token. */
public record Caller(String name, Role role) {
}
