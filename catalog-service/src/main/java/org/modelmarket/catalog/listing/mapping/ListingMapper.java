package org.modelmarket.catalog.listing.mapping;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.catalog.listing.Listing;
import org.modelmarket.catalog.listing.ListingRequest;
import org.modelmarket.catalog.listing.ListingSpec;
import org.modelmarket.catalog.listing.ListingStats;
import org.modelmarket.catalog.listing.ListingView;
import org.modelmarket.catalog.listing.Visibility;
import org.modelmarket.catalog.listing.event.ListingChangedData;
import org.modelmarket.catalog.vendor.Vendor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Maps listings between the wire (request bodies, the {@link ListingView} shown by REST, the
 * {@link ListingChangedData} carried by events) and the entity. Hand-written: one entity, two representations, and
 * the structured model-card parts go through JSON.
 */
@ApplicationScoped
public class ListingMapper {

    private final ObjectMapper json;

    public ListingMapper(ObjectMapper json) {
        this.json = json;
    }

    /** Copies the editable content of {@code request} onto {@code listing}. */
    public void apply(ListingRequest request, Listing listing) {
        listing.title = request.title();
        listing.summary = request.summary();
        listing.modelCard = request.modelCard();
        listing.modality = request.modality();
        listing.task = request.task();
        listing.license = request.license();
        listing.eula = request.eula();
        listing.tags = copy(request.tags());
        listing.languages = copy(request.languages());
        listing.frameworks = copy(request.frameworks());
        listing.formats = copy(request.formats());
        listing.datasets = copy(request.datasets());
        listing.baseModel = request.baseModel();
        listing.exampleUsage = request.exampleUsage();
        listing.priceType = request.priceType();
        listing.visibility = request.visibility() == null ? Visibility.PUBLIC : request.visibility();
        listing.gated = Boolean.TRUE.equals(request.gated());
        listing.gateTerms = listing.gated ? request.gateTerms() : null;
        listing.spec = write(
                new ListingSpec.Document(copy(request.evaluationResults()), request.signature(), request.hardware()));
    }

    public ListingView toView(Listing listing, Vendor vendor, ListingStats stats) {
        ListingSpec.Document spec = read(listing.spec);
        return new ListingView(
                listing.id,
                listing.coordinates(),
                listing.namespace,
                listing.name,
                listing.title,
                listing.summary,
                listing.modelCard,
                listing.modality,
                listing.task,
                listing.license,
                listing.eula,
                List.copyOf(listing.tags),
                List.copyOf(listing.languages),
                List.copyOf(listing.frameworks),
                List.copyOf(listing.formats),
                List.copyOf(listing.datasets),
                listing.baseModel,
                spec.evaluationResults() == null ? List.of() : spec.evaluationResults(),
                spec.signature(),
                spec.hardware(),
                listing.exampleUsage,
                listing.priceType,
                listing.visibility,
                listing.gated,
                listing.gateTerms,
                listing.status,
                listing.rejectionReason,
                listing.successor,
                List.copyOf(vendor.members),
                new ListingView.VendorRef(vendor.namespace, vendor.displayName, vendor.verified),
                stats == null
                        ? new ListingView.Stats(0, 0, 0, 0, 0.0, 0, 0)
                        : new ListingView.Stats(
                                stats.downloads,
                                stats.downloads30d,
                                stats.downloads7d,
                                stats.likes,
                                stats.rating(),
                                stats.ratingCount,
                                stats.subscribers),
                listing.version,
                listing.publishedAt,
                listing.createdAt,
                listing.updatedAt);
    }

    /** The data of the {@code ListingChanged} event: the same state, in the event contract's own record. */
    public ListingChangedData toEvent(Listing listing, Vendor vendor, ListingStats stats) {
        ListingSpec.Document spec = read(listing.spec);
        return new ListingChangedData(
                listing.id,
                listing.coordinates(),
                listing.namespace,
                listing.name,
                listing.title,
                listing.summary,
                listing.modelCard,
                listing.modality,
                listing.task,
                listing.license,
                listing.eula,
                List.copyOf(listing.tags),
                List.copyOf(listing.languages),
                List.copyOf(listing.frameworks),
                List.copyOf(listing.formats),
                List.copyOf(listing.datasets),
                listing.baseModel,
                spec.evaluationResults() == null ? List.of() : spec.evaluationResults(),
                spec.signature(),
                spec.hardware(),
                listing.exampleUsage,
                listing.priceType,
                listing.visibility,
                listing.gated,
                listing.gateTerms,
                listing.status,
                listing.rejectionReason,
                listing.successor,
                List.copyOf(vendor.members),
                new ListingChangedData.Vendor(vendor.namespace, vendor.displayName, vendor.verified),
                stats == null
                        ? new ListingChangedData.Stats(0, 0, 0, 0, 0.0, 0, 0)
                        : new ListingChangedData.Stats(
                                stats.downloads,
                                stats.downloads30d,
                                stats.downloads7d,
                                stats.likes,
                                stats.rating(),
                                stats.ratingCount,
                                stats.subscribers),
                listing.version,
                listing.publishedAt,
                listing.createdAt,
                listing.updatedAt);
    }

    private ListingSpec.Document read(String spec) {
        if (spec == null || spec.isBlank()) {
            return ListingSpec.Document.EMPTY;
        }
        try {
            return json.readValue(spec, ListingSpec.Document.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored listing spec is not valid JSON", e);
        }
    }

    private String write(ListingSpec.Document spec) {
        try {
            return json.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize listing spec", e);
        }
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? new ArrayList<>() : new ArrayList<>(list);
    }
}
