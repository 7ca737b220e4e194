package com.preaudit.audit;

import com.preaudit.platform.Caller;
import io.quarkus.arc.Arc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * The subject stored with an audit record or a disposition (PRODUCT.md §10): the credential of the
 * request that made it, or {@link Caller#SYSTEM} for work without a request (tests, replays).
 */
@ApplicationScoped
public class ClientSubject {

    @Inject
    Instance<Caller> caller;

    public String current() {
        if (!Arc.container().requestContext().isActive()) {
            return Caller.SYSTEM;
        }
        return caller.get().subject();
    }
}
