package io.hulftark.ocf;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * One resource parameter of the OCF agent, as meta-data describes it and as the agent checks it.
 *
 * @param name      the name after {@code OCF_RESKEY_}
 * @param type      the OCF content type
 * @param required  Pacemaker refuses a resource without it
 * @param unique    a change restarts the resource (the others are taken by {@code reload}: every action reads them afresh)
 * @param defaultValue the value when unset, as meta-data shows it; empty when there is none or it is derived
 * @param shortdesc one line
 * @param longdesc  what it is, with an example
 * @param check     the value's problem as one line, or null when it is good (called with a non-empty value)
 */
public record OcfParameter(String name, Type type, boolean required, boolean unique, Optional<String> defaultValue,
                           String shortdesc, String longdesc, Function<String, String> check) {

    public enum Type {
        STRING, INTEGER, BOOLEAN;

        /** The word of ra-api-1.dtd's {@code content type}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The value's problem as one line naming the parameter, or null when it is good. */
    public String problem(String value) {
        String why = check.apply(value);
        return why == null ? null : "OCF_RESKEY_" + name + "=" + OcfParameters.shown(value) + ": " + why;
    }
}
