package org.modelmarket.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;

/** A request body a resource parsed itself was not valid JSON for its type (400, rendered like the framework's own). */
public class UnreadableBodyException extends RuntimeException {

    public UnreadableBodyException(JsonProcessingException cause) {
        super(cause.getOriginalMessage(), cause);
    }

    public JsonProcessingException json() {
        return (JsonProcessingException) getCause();
    }
}
