package io.hulftark.fleet.api;

/** The caller as the fleet view knows it: the dashboard shows operator buttons to operators. */
public record WhoAmI(String name, String role) {
}
