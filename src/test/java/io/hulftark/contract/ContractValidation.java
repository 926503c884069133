package io.hulftark.contract;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (META-INF/services, junit-platform.properties): before each test, makes
 * {@link Contract} a default REST-assured filter, so that a new REST test is validated without asking for it.
 */
public class ContractValidation implements BeforeEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) throws ReflectiveOperationException {
        // Through the test class's own class loader: a @QuarkusTest runs in Quarkus's, with a RestAssured (and its
        // static defaults) of its own, not the one this extension was loaded with.
        Class<?> test = context.getRequiredTestClass();
        Class.forName(Contract.class.getName(), true, test.getClassLoader())
                .getMethod("install", Class.class).invoke(null, test);
    }
}
