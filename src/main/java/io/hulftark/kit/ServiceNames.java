package io.hulftark.kit;

/** Tag → HULFT service name (LifeKeeper's info field in production). */
@FunctionalInterface
public interface ServiceNames {

    Lookup lookup(String tag);

    /** The three answers the kit tells apart (spec 5.1 step 2, messages 51050008 and 51050009). */
    sealed interface Lookup {
        /** @param lifeKeeperState ISP, ISU, OSU or OSF when the lookup knows it, else "" */
        record Found(String service, String lifeKeeperState) implements Lookup {
            public Found(String service) {
                this(service, "");
            }
        }

        record NoSuchResource(String detail) implements Lookup { }

        record NoServiceName(String detail) implements Lookup { }

        /** Could not ask at all (ins_list missing, timed out): not the spec's "exit 0" case. */
        record Failed(String detail) implements Lookup { }
    }
}
