package org.modelmarket.billing.receipt.rest;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.modelmarket.billing.receipt.service.MerkleTree;
import org.modelmarket.billing.receipt.service.ReceiptService;
import org.modelmarket.platform.security.CallerContext;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Signed receipts of metering records and the monthly usage statement. */
@Path("/api/v1/receipts")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "receipts")
public class ReceiptResource {

    /**
     * A receipt: {@code payload} (base64url JSON, {@code claims} decoded) is a leaf of its batch's Merkle tree (RFC 6962
     * hashing); {@code proof} leads from it to the root named in {@code signed} (base64url JSON statement
     * {@code issuer, keyId, merkleRoot, receipts, signedAt}), which is exactly what {@code signature} (base64url,
     * Ed25519) signs with the key {@code keyId} of {@code /.well-known/modelmarket-receipt-keys}. Receipts from before
     * batch signing have no {@code signed} and {@code proof}: their signature covers the payload.
     */
    public record ReceiptView(
            UUID meteringRecordId,
            String keyId,
            String payload,
            String signature,
            String signed,
            List<MerkleTree.Step> proof,
            Map<String, Object> claims) {}

    public record StatementLine(
            UUID meteringRecordId,
            String listing,
            String customer,
            String dimension,
            long quantity,
            String timestamp) {}

    public record StatementView(String month, String customer, List<StatementLine> records, Map<String, Long> totals) {}

    private final ReceiptService receipts;
    private final CallerContext callers;
    private final ObjectMapper json;
    private final Clock clock;

    public ReceiptResource(ReceiptService receipts, CallerContext callers, ObjectMapper json, Clock clock) {
        this.receipts = receipts;
        this.callers = callers;
        this.json = json;
        this.clock = clock;
    }

    @GET
    @Path("{meteringRecordId}")
    @Operation(summary = "The signed receipt of one metering record")
    public Uni<ReceiptView> get(@RestPath UUID meteringRecordId) {
        return callers.caller()
                .chain(caller -> receipts.find(caller, meteringRecordId))
                .map(receipt -> {
                    var record = receipt.record();
                    try {
                        Map<String, Object> claims = json.readValue(
                                Base64.getUrlDecoder().decode(record.receipt),
                                new TypeReference<Map<String, Object>>() {});
                        List<MerkleTree.Step> proof = record.receiptProof == null
                                ? null
                                : json.readValue(record.receiptProof, new TypeReference<List<MerkleTree.Step>>() {});
                        return new ReceiptView(
                                record.id,
                                record.keyId,
                                record.receipt,
                                record.signature,
                                record.receiptSigned,
                                proof,
                                claims);
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    @GET
    @Operation(summary = "Usage statement of a month (default: the current one), to reconcile against receipts")
    public Uni<StatementView> statement(
            @RestQuery @Pattern(regexp = "\\d{4}-(0[1-9]|1[0-2])", message = "must be YYYY-MM") String month,
            @RestQuery @Size(max = 255) String customer) {
        YearMonth period =
                month == null ? YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC)) : YearMonth.parse(month);
        return callers.caller()
                .chain(caller -> receipts.statement(caller, period, customer))
                .map(statement -> new StatementView(
                        statement.month(),
                        statement.customer(),
                        statement.records().stream()
                                .map(r -> new StatementLine(
                                        r.record().id,
                                        r.listing().coordinates(),
                                        r.record().customer,
                                        r.record().dimension,
                                        r.record().quantity,
                                        r.record().usageAt.toString()))
                                .toList(),
                        statement.totals()));
    }
}
