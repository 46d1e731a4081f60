package org.modelmarket.catalog.community.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of posting or editing one's review. */
@Schema(name = "ReviewRequest")
public record ReviewRequest(
        @Schema(examples = "4") @NotNull @Min(1) @Max(5) Integer rating,
        @Size(max = 200) String title,
        @Size(max = 10_000) String body) {}
