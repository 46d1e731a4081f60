package org.modelmarket.search.rebuild;

import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a rebuild stands.
 *
 * @param state           RUNNING, COMPLETED or FAILED
 * @param phase           the step running or reached last: creating, loading, catching-up, swapping, replaying-tail,
 *                        deleting-old-index, done
 * @param targetIndex     the fresh index being filled (the aliases' target once completed)
 * @param previousIndices what the aliases pointed at before
 * @param recordsRead     records read from the topic
 * @param writesApplied   index writes that changed the fresh index (stale versions not counted)
 * @param error           why it failed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RebuildStatus(
        String state,
        String phase,
        String targetIndex,
        Set<String> previousIndices,
        Instant startedAt,
        Instant finishedAt,
        long recordsRead,
        long writesApplied,
        String error) {

    public static final String RUNNING = "RUNNING";
    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";

    public boolean running() {
        return RUNNING.equals(state);
    }
}
