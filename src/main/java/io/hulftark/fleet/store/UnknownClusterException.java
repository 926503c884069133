package io.hulftark.fleet.store;

/** An operator's write names a cluster the fleet view has never heard of. */
public class UnknownClusterException extends RuntimeException {

    public UnknownClusterException(String cluster) {
        super("no cluster named '" + cluster + "' has reported to this fleet view");
    }
}
