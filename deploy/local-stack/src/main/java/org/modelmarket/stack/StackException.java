package org.modelmarket.stack;

/** A failure to start or run an engine, with a one-line message meant for a person at a terminal. */
public class StackException extends RuntimeException {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
