package org.modelmarket.catalog.listing;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a listing is sold; the detailed plans (trial length, prices, dimensions) belong to billing-service. */
public enum PriceType {
    @JsonProperty("free")
    FREE,
    @JsonProperty("paid")
    PAID,
    @JsonProperty("trial")
    TRIAL
}
