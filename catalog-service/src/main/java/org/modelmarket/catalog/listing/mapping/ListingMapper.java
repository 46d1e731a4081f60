package org.modelmarket.catalog.listing.mapping;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.catalog.listing.Listing;
import org.modelmarket.catalog.listing.ListingStatus;
import org.modelmarket.catalog.listing.event.ListingChanged;
import org.modelmarket.catalog.listing.rest.CreateListingRequest;
import org.modelmarket.catalog.listing.rest.ListingResponse;
import org.modelmarket.catalog.listing.service.ListingDraft;

/**
 * Maps listings between the wire (REST bodies, event data) and the entity. Hand-written: the shapes are flat and
 * few; MapStruct becomes worth it when versions and model cards arrive.
 */
@ApplicationScoped
public class ListingMapper {

    public ListingDraft toDraft(CreateListingRequest request) {
        return new ListingDraft(request.namespace(), request.name(), request.title(), request.summary(),
                request.modality(), request.task(), request.license(), request.tags(), request.languages(),
                request.frameworks(), request.priceType(), request.visibility());
    }

    /** A new, published listing owned by {@code owner}, created at {@code now}. */
    public Listing toEntity(ListingDraft draft, String owner, Instant now) {
        Listing listing = new Listing();
        listing.namespace = draft.namespace();
        listing.name = draft.name();
        listing.title = draft.title();
        listing.summary = draft.summary();
        listing.modality = draft.modality();
        listing.task = draft.task();
        listing.license = draft.license();
        listing.tags = new ArrayList<>(draft.tags());
        listing.languages = new ArrayList<>(draft.languages());
        listing.frameworks = new ArrayList<>(draft.frameworks());
        listing.priceType = draft.priceType();
        listing.visibility = draft.visibility();
        listing.status = ListingStatus.PUBLISHED;
        listing.owners = new ArrayList<>(List.of(owner));
        listing.createdAt = now;
        listing.updatedAt = now;
        return listing;
    }

    public ListingResponse toResponse(Listing listing) {
        return new ListingResponse(listing.id, listing.coordinates(), listing.namespace, listing.name, listing.title,
                listing.summary, listing.modality, listing.task, listing.license, List.copyOf(listing.tags),
                List.copyOf(listing.languages), List.copyOf(listing.frameworks), listing.priceType,
                listing.visibility, listing.status, List.copyOf(listing.owners), listing.version, listing.createdAt,
                listing.updatedAt);
    }

    public ListingChanged toEvent(Listing listing) {
        return new ListingChanged(listing.id, listing.coordinates(), listing.namespace, listing.name, listing.title,
                listing.summary, listing.modality, listing.task, listing.license, List.copyOf(listing.tags),
                List.copyOf(listing.languages), List.copyOf(listing.frameworks), listing.priceType,
                listing.visibility, listing.status, List.copyOf(listing.owners), listing.version, listing.createdAt,
                listing.updatedAt);
    }
}
