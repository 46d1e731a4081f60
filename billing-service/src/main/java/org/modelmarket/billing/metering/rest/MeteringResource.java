package org.modelmarket.billing.metering.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.modelmarket.billing.metering.service.MeteringService;
import org.modelmarket.billing.metering.service.MeteringService.Usage;
import org.modelmarket.billing.pricing.PricingTerms;
import org.modelmarket.billing.pricing.rest.OfferResource;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.platform.security.CallerContext;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** BatchMeterUsage: vendors report usage of their own listings, up to 25 records per call. */
@Path("/api/v1/metering")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "metering")
public class MeteringResource {

    public record Tag(
            @NotBlank @Size(max = 100) String key,
            @NotBlank @Size(max = 256) String value) {}

    public record Allocation(
            @NotNull @PositiveOrZero Long allocatedUsageQuantity,
            @Size(max = 5) List<@Valid @NotNull Tag> tags) {}

    public record UsageRecord(
            @NotBlank @Size(max = 255) String customerIdentifier,

            @NotNull @Pattern(regexp = PricingTerms.NAME, message = "must be a dimension name")
            String dimension,

            @NotNull @PositiveOrZero @Max(1_000_000_000L) Long quantity,
            @NotNull Instant timestamp,
            @Size(max = 25) List<@Valid @NotNull Allocation> usageAllocations) {}

    public record BatchMeterUsageRequest(
            @NotNull @Pattern(regexp = OfferResource.LISTING, message = "must be namespace/name")
            String listing,

            @NotNull @Size(min = 1, max = 25) List<@Valid @NotNull UsageRecord> usageRecords) {}

    public record Result(UsageRecord usageRecord, UUID meteringRecordId, String status) {}

    public record BatchMeterUsageResponse(List<Result> results, List<UsageRecord> unprocessedRecords) {}

    private final MeteringService metering;
    private final CallerContext callers;
    private final ObjectMapper json;

    public MeteringResource(MeteringService metering, CallerContext callers, ObjectMapper json) {
        this.metering = metering;
        this.callers = callers;
        this.json = json;
    }

    @POST
    @Path("batch-meter-usage")
    @Operation(summary = "Report usage records for one of the caller's listings (per-record results)")
    public Uni<BatchMeterUsageResponse> batchMeterUsage(@NotNull @Valid BatchMeterUsageRequest request) {
        List<UsageRecord> records = request.usageRecords();
        List<Usage> usages = new java.util.ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            UsageRecord record = records.get(i);
            usages.add(new Usage(
                    record.customerIdentifier(),
                    record.dimension(),
                    record.quantity(),
                    record.timestamp(),
                    allocations(i, record)));
        }
        String[] listing = request.listing().split("/", 2);
        return callers.caller()
                .chain(caller -> metering.meter(caller, listing[0], listing[1], usages))
                // Results come in the request's order; a batch is either answered record by record or unprocessed
                // whole.
                .map(outcome -> new BatchMeterUsageResponse(
                        java.util.stream.IntStream.range(0, outcome.results().size())
                                .mapToObj(i -> new Result(
                                        records.get(i),
                                        outcome.results().get(i).meteringRecordId(),
                                        outcome.results().get(i).status()))
                                .toList(),
                        outcome.unprocessed().isEmpty() ? List.of() : records));
    }

    /** Allocations must add up to the record's quantity (AWS's rule); stored as JSON. */
    private String allocations(int index, UsageRecord record) {
        if (record.usageAllocations() == null || record.usageAllocations().isEmpty()) {
            return null;
        }
        long sum = record.usageAllocations().stream()
                .mapToLong(Allocation::allocatedUsageQuantity)
                .sum();
        if (sum != record.quantity()) {
            throw new ProblemException(
                    StandardProblem.VALIDATION,
                    "The request has invalid fields",
                    List.of(new Problem.FieldError(
                            "usageRecords[" + index + "].usageAllocations", "must add up to the quantity")));
        }
        try {
            return json.writeValueAsString(record.usageAllocations());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
