package org.modelmarket.platform.cloudevents;

import org.modelmarket.platform.consumer.PoisonRecordException;

/** A record that is not a usable CloudEvent of the expected kind: a poison record, dead-lettered, never retried. */
public class MalformedEventException extends PoisonRecordException {

    public MalformedEventException(String reason) {
        super(reason);
    }

    public MalformedEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
