package org.modelmarket.artifact.access.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Data of {@code org.modelmarket.artifact.FileAccessChanged} on {@code artifact.commits} (key = listing id, no
 * {@code aggregateversion}: on this topic that is the position in the commit history, so the rule's own revision is
 * {@code version}): a listing's owners or an admin set or cleared its open-file rule, so catalog and the web pages can
 * say which files stay readable before buying.
 *
 * @param listing the listing's {@code namespace/name}
 * @param version the rule's revision after the change (1, 2, ...; the {@code ETag} of {@code GET .../file-access})
 * @param source {@code listing} (its own rule) or {@code default} (cleared: the service's default applies)
 * @param openFiles the globs that apply from now on (with {@code default}, the service's default at the time)
 * @param changedBy the subject who changed it
 */
public record FileAccessChanged(
        UUID listingId,
        String listing,
        long version,
        String source,
        List<String> openFiles,
        String changedBy,
        Instant changedAt) {

    /** CloudEvent type. */
    public static final String TYPE = "org.modelmarket.artifact.FileAccessChanged";
    /** The topic, keyed by listing id: artifact-service's events about a listing's files. */
    public static final String TOPIC = "artifact.commits";
    /** Outbox aggregatetype. */
    public static final String AGGREGATE_TYPE = "listing";
}
