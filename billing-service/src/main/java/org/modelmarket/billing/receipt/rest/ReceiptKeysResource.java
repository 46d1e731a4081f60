package org.modelmarket.billing.receipt.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.modelmarket.billing.receipt.service.ReceiptSigner;

import io.smallrye.mutiny.Uni;

/** The marketplace's receipt verification keys, public (a JWK set of Ed25519 keys). */
@Path("/.well-known/modelmarket-receipt-keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "receipts")
public class ReceiptKeysResource {

    public record KeySet(List<ReceiptSigner.Jwk> keys) {}

    private final ReceiptSigner signer;

    public ReceiptKeysResource(ReceiptSigner signer) {
        this.signer = signer;
    }

    @GET
    @Operation(summary = "Public keys that verify metering receipts")
    public Uni<KeySet> keys() {
        return signer.publicKeys().map(KeySet::new);
    }
}
