package org.modelmarket.gateway.route.rest;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.Paths;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.modelmarket.gateway.route.Route;
import org.modelmarket.gateway.route.RouteTable;

/**
 * Describes the pass-through routes in the OpenAPI document, one operation per {@link RouteTable} entry, in place of
 * {@link RouteResource}'s generic methods. Request and response bodies are the owning services' (see their own
 * {@code /q/openapi}); the gateway documents paths, tags, summaries and who may call.
 */
public class RouteOpenApi implements OASFilter {

    private static final String GENERIC_PATH = "/api/v1/{path}";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            openAPI.setPaths(OASFactory.createPaths());
        }
        Paths paths = openAPI.getPaths();
        paths.removePathItem(GENERIC_PATH);
        for (Route route : RouteTable.ROUTES) {
            PathItem item = paths.getPathItem(route.template());
            if (item == null) {
                item = OASFactory.createPathItem();
                paths.addPathItem(route.template(), item);
            }
            item.setOperation(PathItem.HttpMethod.valueOf(route.method()), operation(route));
        }
    }

    private static Operation operation(Route route) {
        Operation operation = OASFactory.createOperation()
                .summary(route.summary())
                .description("Forwarded to " + route.service() + "-service unchanged (query, body, If-Match, "
                        + "If-None-Match); its answer comes back with ETag and Location. "
                        + (route.access() == Route.Access.ANYONE
                                ? "Anonymous callers allowed."
                                : "A bearer token is required; the service checks roles and membership."))
                .addTag(route.tag())
                .responses(OASFactory.createAPIResponses()
                        .addAPIResponse(
                                "default",
                                OASFactory.createAPIResponse()
                                        .description("The service's answer; errors are application/problem+json")));
        for (String variable : route.variables()) {
            operation.addParameter(OASFactory.createParameter()
                    .name(variable)
                    .in(Parameter.In.PATH)
                    .required(true)
                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
        }
        if (route.access() == Route.Access.AUTHENTICATED) {
            operation.addSecurityRequirement(
                    OASFactory.createSecurityRequirement().addScheme("bearer"));
        }
        return operation;
    }
}
