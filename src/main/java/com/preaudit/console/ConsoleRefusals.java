package com.preaudit.console;

import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * A console page refused by {@code @RolesAllowed} (403) is a page in Chinese for the person at the
 * browser, not the API's problem+json; the API's answers are left as they are.
 */
public class ConsoleRefusals {

    @ServerResponseFilter
    public void forbiddenPage(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (response.getStatus() == 403 && (path.equals("/console") || path.startsWith("/console/"))
                && !(response.getEntity() instanceof TemplateInstance) && !(response.getEntity() instanceof String s && s.startsWith("<!DOCTYPE"))) {
            response.setEntity(ConsoleResource.Templates.error("您的角色无权使用此页面或操作。如需权限，请联系管理员。").render(),
                    null, ConsolePages.HTML);
        }
    }
}
