package com.preaudit.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The test profile of four-eyes publishing ({@code preaudit.catalog.approval=required}). One class for every test
 * that needs it, so Quarkus starts that application once for them all.
 */
public class ApprovalRequired implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("preaudit.catalog.approval", "required");
    }
}
