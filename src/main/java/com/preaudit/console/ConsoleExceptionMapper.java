package com.preaudit.console;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A refused console action is a page in Chinese, not problem+json. */
public class ConsoleExceptionMapper {

    @ServerExceptionMapper
    public Response refused(ConsoleException e) {
        return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(ConsoleResource.Templates.error(e.getMessage())).build();
    }
}
