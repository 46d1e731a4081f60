package org.modelmarket.gateway.listing;

import java.util.List;

/**
 * A vendor's request to create a listing. Its rules (id syntax, taxonomy, price type) belong to catalog-service,
 * which answers 400 with field errors; the gateway passes that answer through.
 */
public record NewListing(
        String namespace,
        String name,
        String title,
        String summary,
        String modality,
        String task,
        String license,
        List<String> tags,
        List<String> languages,
        List<String> frameworks,
        String priceType) {}
