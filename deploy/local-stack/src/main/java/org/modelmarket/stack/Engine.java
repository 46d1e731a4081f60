package org.modelmarket.stack;

import java.util.List;

/** One engine of the local stack (PostgreSQL, Kafka, Elasticsearch, Keycloak) that can be started and stopped. */
public interface Engine extends AutoCloseable {

    /** A short name for logs and error messages, e.g. "kafka". */
    String name();

    /** Starts the engine and returns once it is ready to serve; throws {@link StackException} otherwise. */
    void start();

    /** The engine's live processes (e.g. kc.sh and Keycloak's JVM, or the postmaster), for the launcher's run record. */
    List<ProcessHandle> processes();

    /** The loopback ports the engine listens on while it runs, for the launcher's run record. */
    List<Integer> ports();

    /** Stops everything the engine started; safe to call twice or after a failed start. */
    @Override
    void close();
}
