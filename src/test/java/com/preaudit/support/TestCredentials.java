package com.preaudit.support;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every RestAssured request of the tests carries the test profile's admin token
 * ({@code %test.preaudit.admin-token}) unless it sets its own Authorization header, so the API
 * tests read as before credentials existed. Registered for every test class through
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} (autodetection on in
 * {@code junit-platform.properties}). {@link Tokens} sends other roles, or no credential.
 */
public class TestCredentials implements BeforeAllCallback, BeforeEachCallback {

    /** The admin token of the test profile (application.properties, {@code %test.preaudit.admin-token}). */
    public static final String ADMIN_TOKEN = "pa_test-admin-0123456789abcdef";

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        installIn(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        installIn(context);
    }

    // A @QuarkusTest class runs in Quarkus' class loader, which may hold its own RestAssured: install
    // the default there, and here for plain tests.
    private static void installIn(ExtensionContext context) throws Exception {
        install();
        ClassLoader cl = context.getRequiredTestClass().getClassLoader();
        if (cl != TestCredentials.class.getClassLoader()) {
            Class.forName(TestCredentials.class.getName(), true, cl).getMethod("install").invoke(null);
        }
    }

    public static void install() {
        // a filter rather than a request specification: a specification would freeze the port Quarkus sets later
        if (RestAssured.filters().stream().noneMatch(f -> f instanceof DefaultCredential)) {
            RestAssured.filters(new DefaultCredential());
        }
    }

    /** Adds the admin Bearer header to a request that has no Authorization header of its own. */
    static final class DefaultCredential implements Filter {
        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext ctx) {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", "Bearer " + ADMIN_TOKEN);
            }
            return ctx.next(request, response);
        }
    }
}
