package io.hulftark.contract;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A test class that serves paths of its own under /api/v1 (test-only resources): {@link Contract} skips them. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface NotInContract {

    /** Path prefixes, e.g. "/api/v1/test-". */
    String[] value();
}
