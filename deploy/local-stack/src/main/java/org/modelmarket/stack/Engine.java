package org.modelmarket.stack;

/** One engine of the local stack (PostgreSQL, Kafka, Elasticsearch, Keycloak) that can be started and stopped. */
public interface Engine extends AutoCloseable {

    /** A short name for logs and error messages, e.g. "kafka". */
    String name();

    /** Starts the engine and returns once it is ready to serve; throws {@link StackException} otherwise. */
    void start();

    /** Stops everything the engine started; safe to call twice or after a failed start. */
    @Override
    void close();
}
