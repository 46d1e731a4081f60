package org.modelmarket.catalog.vendor;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A vendor's public profile; {@code members} only shown to its members and admins. */
@Schema(name = "Vendor")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VendorView(
        String namespace,
        String displayName,
        String description,
        String website,
        boolean verified,
        Instant verifiedAt,
        List<String> members,
        long version,
        Instant createdAt,
        Instant updatedAt) {}
