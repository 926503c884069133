package io.hulftark.ocf;

import io.hulftark.kit.Action;
import io.hulftark.kit.KitParameters;
import io.hulftark.kit.Reporter;
import io.hulftark.kit.ServiceNames;
import io.hulftark.platform.ServiceControl;

import java.util.Optional;

/** The node under the OCF agent: its service manager, and the kit's actions run on it. */
public interface OcfNode {

    ServiceControl services();

    /** Why this node's service manager cannot take {@code service} as a name (systemd's alphabet), if it cannot. */
    default Optional<String> serviceNameProblem(String service) {
        return Optional.empty();
    }

    /** Whether HULFT's commands carry .exe. */
    boolean windows();

    /**
     * Runs one kit action under the per-resource lock of {@code tag}, bounded by the parameters'
     * timeout (and the kit's watchdog); its messages go to {@code reporter}. Returns the kit's exit code.
     */
    int run(Action action, KitParameters parameters, ServiceNames names, String tag, Reporter reporter);
}
