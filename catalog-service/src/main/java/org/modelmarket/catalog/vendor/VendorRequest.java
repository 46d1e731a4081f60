package org.modelmarket.catalog.vendor;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.modelmarket.catalog.listing.ListingRequest;

/**
 * Body of {@code POST /api/v1/vendors} (namespace required) and {@code PUT /api/v1/vendors/{namespace}} (profile
 * replacement; namespace omitted or equal to the path).
 */
@Schema(name = "VendorRequest")
public record VendorRequest(
        @Schema(examples = "acme") @Pattern(regexp = ListingRequest.SLUG, message = ListingRequest.SLUG_MESSAGE)
        String namespace,

        @Schema(examples = "ACME AI") @NotBlank @Size(max = 100)
        String displayName,

        @Size(max = 5000) String description,

        @Schema(examples = "https://acme.example")
        @Size(max = 500)
        @Pattern(regexp = "^https?://[^\\s]+$", message = "must be an http(s) URL")
        String website) {}
