package io.hulftark.agent;

/** One port's result in a check: latency in microseconds; code as the probe gave it ("0" when it answered). */
public record PortCheck(String key, int port, boolean ok, String code, long latencyMicros, String detail) {
}
