package org.modelmarket.artifact.file.service;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of the {@code org.modelmarket.artifact.FileDownloaded} event on {@code artifact.downloads} (key = listing id):
 * one counted download of a weight file (once per caller, file and UTC day). Catalog-service counts downloads and
 * review eligibility from it, billing meters its {@code downloads} dimension.
 *
 * @param id the listing's {@code namespace/name}
 * @param revision the revision the caller asked for ({@code main}, a version name or a commit id)
 * @param commit the 40-hex commit the file was served from
 * @param bytes the file's size, all of which the response carries
 * @param subject the downloader's Keycloak {@code sub}, {@code null} for anonymous downloads
 */
public record FileDownloaded(
        UUID downloadId,
        UUID listingId,
        String id,
        String revision,
        String commit,
        String path,
        long bytes,
        String subject,
        Instant downloadedAt) {

    /** CloudEvent type. */
    public static final String TYPE = "org.modelmarket.artifact.FileDownloaded";
    /** The topic, keyed by listing id. */
    public static final String TOPIC = "artifact.downloads";
    /** Outbox aggregatetype: downloads are keyed by the listing they belong to. */
    public static final String AGGREGATE_TYPE = "listing";
}
