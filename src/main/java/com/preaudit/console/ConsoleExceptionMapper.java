package com.preaudit.console;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A refused console action is a page in Chinese, not problem+json. */
public class ConsoleExceptionMapper {

    @ServerExceptionMapper
    public Response refused(ConsoleException e) {
        return ConsolePages.page(e.status(), ConsoleResource.Templates.error(e.getMessage()));
    }
}
