package org.modelmarket.catalog.listing;

/**
 * What a caller asks of a listing query, as the service layer takes it; {@code null} = any. Who may see what is not
 * part of it: the service adds that from the caller, so no resource decides visibility or builds a repository query.
 *
 * @param namespace the vendor namespace
 * @param status the lifecycle status
 * @param visibility public or private
 * @param modality a modality id from the taxonomy
 * @param task a task id from the taxonomy
 * @param text words to look for in the title and summary
 */
public record ListingCriteria(
        String namespace, ListingStatus status, Visibility visibility, String modality, String task, String text) {}
