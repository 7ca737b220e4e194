package com.preaudit.console;

import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** How every console answer that is a page is sent: HTML in UTF-8 (the pages are Chinese), with the status given. */
final class ConsolePages {

    static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");

    private ConsolePages() {
    }

    /**
     * {@code page} rendered now, answered with {@code status}: a form refused (4xx) shows the page again with what was
     * typed and why, a search answers its result page.
     */
    static Response page(int status, TemplateInstance page) {
        return Response.status(status).type(HTML).entity(page.render()).build();
    }
}
