package org.modelmarket.catalog.listing;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who may see a listing: everyone and search (public), everyone with the link (unlisted), its owners (private). */
public enum Visibility {
    @JsonProperty("public")
    PUBLIC,
    @JsonProperty("unlisted")
    UNLISTED,
    @JsonProperty("private")
    PRIVATE
}
