package org.modelmarket.catalog.listing.rest;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Optional body of a lifecycle action: why (required to reject), and a deprecation's successor. */
@Schema(name = "TransitionRequest")
public record TransitionRequest(
        @Schema(examples = "Model card lacks evaluation results") @Size(max = 2000)
        String reason,

        @Schema(examples = "acme/resnet-101", description = "deprecate only")
        @Pattern(
                regexp = "^[a-z0-9]([a-z0-9-_.]{0,62}[a-z0-9])?/[a-z0-9]([a-z0-9-_.]{0,62}[a-z0-9])?$",
                message = "must be a listing id namespace/name")
        String successor) {}
