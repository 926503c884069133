package io.hulftark.contract;

import io.restassured.RestAssured;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Set;

/**
 * Registered for every test class (META-INF/services, junit-platform.properties): before each test, makes
 * {@link Contract} a default REST-assured filter, so that a new REST test is validated without asking for it.
 */
public class ContractValidation implements BeforeEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        NotInContract own = context.getRequiredTestClass().getAnnotation(NotInContract.class);
        Contract.outside = own == null ? Set.of() : Set.of(own.value());
        if (!RestAssured.filters().contains(Contract.INSTANCE)) {
            RestAssured.filters(Contract.INSTANCE);
        }
    }
}
