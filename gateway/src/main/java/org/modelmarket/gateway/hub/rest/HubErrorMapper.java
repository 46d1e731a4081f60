package org.modelmarket.gateway.hub.rest;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.modelmarket.gateway.hub.HubError;

import io.vertx.core.json.JsonObject;

/**
 * Answers a {@link HubError} the way the Hub clients read errors: {@code X-Error-Code} (when there is one),
 * {@code X-Error-Message}, and a JSON body with {@code error} (HF-PROTOCOL §2.5, §6.16).
 */
public class HubErrorMapper {

    @ServerExceptionMapper
    public Response map(HubError error) {
        return toResponse(error);
    }

    /** The response of {@code error}, for the resources' own mappers too. */
    public static Response toResponse(HubError error) {
        Response.ResponseBuilder response = Response.status(error.status())
                .type("application/json")
                .entity(new JsonObject().put("error", error.getMessage()).encode())
                .header("X-Error-Message", headerSafe(error.getMessage()));
        if (error.code() != null) {
            response.header("X-Error-Code", error.code());
        }
        error.headers().forEach(response::header);
        return response.build();
    }

    /** Header values are one line of visible ASCII. */
    public static String headerSafe(String message) {
        return message.replaceAll("[^\\x20-\\x7e]", " ");
    }
}
