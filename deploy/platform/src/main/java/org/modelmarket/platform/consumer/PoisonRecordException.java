package org.modelmarket.platform.consumer;

/**
 * A record the consumer can never use (unreadable, malformed, failing validation): retrying cannot help, so the
 * failure policy sends it to {@code <topic>.dlq} at once instead of retrying. The message is the dead-letter reason.
 * Any other failure is treated as transient and retried.
 */
public class PoisonRecordException extends RuntimeException {

    public PoisonRecordException(String reason) {
        super(reason);
    }

    public PoisonRecordException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
