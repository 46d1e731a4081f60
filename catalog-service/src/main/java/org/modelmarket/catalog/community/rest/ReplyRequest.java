package org.modelmarket.catalog.community.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of a vendor's reply to a review. */
@Schema(name = "ReplyRequest")
public record ReplyRequest(@NotBlank @Size(max = 10_000) String body) {}
