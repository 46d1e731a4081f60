package org.modelmarket.search.query.rest;

import java.util.List;

import org.modelmarket.search.index.ListingDocument;

/** Completions for what the caller typed so far, most popular first. */
public record SuggestResponse(String q, List<Suggestion> items) {

    /** One completion: enough to show it and to open the listing. */
    public record Suggestion(String id, String listingId, String title, String modality, String task) {}

    static SuggestResponse from(String q, List<ListingDocument> documents) {
        return new SuggestResponse(
                q,
                documents.stream()
                        .map(d -> new Suggestion(d.id(), d.listingId(), d.title(), d.modality(), d.task()))
                        .toList());
    }
}
