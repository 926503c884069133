package io.hulftark.platform;

/**
 * The operating system behind the kit: chosen once at start-up.
 *
 * @param name     {@code windows}, {@code linux} or {@code command}
 * @param why      one line saying why this platform was chosen (shown by {@code validate})
 * @param windows  whether HULFT's commands carry {@code .exe}
 */
public record Platform(String name, String why, boolean windows, ServiceControl services, EventLog eventLog,
                       CommandRunner commands) {
}
