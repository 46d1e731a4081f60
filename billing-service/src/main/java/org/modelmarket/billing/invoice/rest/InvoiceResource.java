package org.modelmarket.billing.invoice.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.modelmarket.billing.invoice.CreditNote;
import org.modelmarket.billing.invoice.Invoice;
import org.modelmarket.billing.invoice.InvoiceLine;
import org.modelmarket.billing.invoice.payment.PaymentProvider.PaymentInstructions;
import org.modelmarket.billing.invoice.service.InvoiceService;
import org.modelmarket.billing.money.Money;
import org.modelmarket.platform.security.CallerContext;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Invoices: buyers read their own; admins record bank transfers and issue credit notes. */
@Path("/api/v1/invoices")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "invoices")
public class InvoiceResource {

    /** Amounts are minor units of the invoice's currency. */
    public record Payment(
            @NotNull @Positive Long amountMinor,
            @NotBlank @Size(max = 100) String reference) {}

    public record CreditRequest(
            @NotNull UUID lineId,
            @NotNull @Positive Long amountMinor,
            @NotBlank @Size(max = 500) String reason) {}

    public record LineView(
            UUID lineId,
            int position,
            String kind,
            String listingVendor,
            UUID listingId,
            UUID subscriptionId,
            String dimension,
            Long quantity,
            Long billable,
            String unitPrice,
            long amountMinor,
            String amount,
            String description,
            List<UUID> sources) {}

    public record CreditNoteView(
            UUID creditNoteId, long amountMinor, String amount, String reason, Instant createdAt) {}

    public record InvoiceView(
            UUID invoiceId,
            String buyer,
            String month,
            String currency,
            long totalMinor,
            String total,
            String status,
            Instant issuedAt,
            Instant dueAt,
            Instant paidAt,
            PaymentInstructions payment,
            List<LineView> lines,
            List<CreditNoteView> creditNotes) {}

    public record InvoiceSummary(
            UUID invoiceId,
            String buyer,
            String month,
            String currency,
            long totalMinor,
            String total,
            String status,
            Instant dueAt) {}

    private final InvoiceService invoices;
    private final CallerContext callers;
    private final ObjectMapper json;

    public InvoiceResource(InvoiceService invoices, CallerContext callers, ObjectMapper json) {
        this.invoices = invoices;
        this.callers = callers;
        this.json = json;
    }

    @GET
    @Operation(summary = "The caller's invoices (admins: ?buyer= or all)")
    public Uni<List<InvoiceSummary>> list(@RestQuery @Size(max = 255) String buyer) {
        return callers.caller()
                .chain(caller -> invoices.list(caller, buyer))
                .map(list -> list.stream()
                        .map(i -> new InvoiceSummary(
                                i.id,
                                i.buyer,
                                i.month,
                                i.currency,
                                i.totalMinor,
                                Money.format(i.totalMinor, i.currency),
                                i.status,
                                i.dueAt))
                        .toList());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One invoice with its lines (traceable to charges and metering records) and credit notes")
    public Uni<InvoiceView> get(@RestPath UUID id) {
        return callers.caller().chain(caller -> invoices.find(caller, id)).map(this::view);
    }

    @POST
    @Path("{id}/payments")
    @Operation(summary = "Record the bank transfer that pays the invoice (admin)")
    public Uni<InvoiceView> pay(@RestPath UUID id, @NotNull @Valid Payment payment) {
        return callers.caller()
                .chain(caller -> invoices.pay(caller, id, payment.amountMinor(), payment.reference()))
                .map(this::view);
    }

    @POST
    @Path("{id}/credit-notes")
    @Operation(summary = "Refund part or all of a line (admin)")
    public Uni<InvoiceView> credit(@RestPath UUID id, @NotNull @Valid CreditRequest request) {
        return callers.caller()
                .chain(caller -> invoices.credit(caller, id, request.lineId(), request.amountMinor(), request.reason()))
                .map(this::view);
    }

    private InvoiceView view(InvoiceService.Issued issued) {
        Invoice i = issued.invoice();
        return new InvoiceView(
                i.id,
                i.buyer,
                i.month,
                i.currency,
                i.totalMinor,
                Money.format(i.totalMinor, i.currency),
                i.status,
                i.issuedAt,
                i.dueAt,
                i.paidAt,
                issued.payment(),
                issued.lines().stream().map(l -> line(l, i.currency)).toList(),
                issued.creditNotes().stream().map(n -> note(n, i.currency)).toList());
    }

    private LineView line(InvoiceLine l, String currency) {
        try {
            return new LineView(
                    l.id,
                    l.position,
                    l.kind,
                    l.vendor,
                    l.listingId,
                    l.subscriptionId,
                    l.dimension,
                    l.quantity,
                    l.billable,
                    l.unitPrice,
                    l.amountMinor,
                    Money.format(l.amountMinor, currency),
                    l.description,
                    json.readValue(l.sources, new TypeReference<List<UUID>>() {}));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CreditNoteView note(CreditNote n, String currency) {
        return new CreditNoteView(n.id, n.amountMinor, Money.format(n.amountMinor, currency), n.reason, n.createdAt);
    }
}
