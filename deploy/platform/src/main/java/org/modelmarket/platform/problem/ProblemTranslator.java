package org.modelmarket.platform.problem;

import java.util.Optional;

/**
 * A service's own translation of exceptions the platform does not know (a database constraint meaning "exists
 * already", an optimistic-lock failure, an engine's error): a bean implementing this is asked, for each exception in
 * the cause chain of an otherwise unexpected failure, before that failure becomes a 500.
 */
public interface ProblemTranslator {

    /** The problem for {@code failure} (one link of the cause chain), or empty when this translator does not know it. */
    Optional<ProblemException> translate(Throwable failure);
}
