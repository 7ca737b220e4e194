package com.preaudit.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** Request bodies (native, CDS Hooks, NHSA, catalog, charges) are read by Quarkus' mapper: make it strict. */
@Singleton
public class StrictJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        Json.strictInput(mapper);
    }
}
