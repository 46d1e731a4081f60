package org.modelmarket.billing.ledger.rest;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;
import org.modelmarket.billing.ledger.service.StatementService;
import org.modelmarket.billing.listing.Coordinates;
import org.modelmarket.platform.security.CallerContext;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Vendor statements (gross, refunds, marketplace fee, net payout) and the ledger's balance. */
@Path("/api/v1/statements")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "statements")
public class StatementResource {

    private final StatementService statements;
    private final CallerContext callers;
    private final Clock clock;

    public StatementResource(StatementService statements, CallerContext callers, Clock clock) {
        this.statements = statements;
        this.callers = callers;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "A vendor's statement of a month, per currency (the vendor or an admin)")
    public Uni<List<StatementService.Statement>> statement(
            @RestQuery @NotNull @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String vendor,
            @RestQuery @Pattern(regexp = "\\d{4}-(0[1-9]|1[0-2])", message = "must be YYYY-MM") String month) {
        YearMonth period =
                month == null ? YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC)) : YearMonth.parse(month);
        return callers.caller().chain(caller -> statements.statement(caller, vendor, period));
    }

    @GET
    @Path("ledger-balance")
    @Operation(summary = "Debits and credits of the whole ledger per currency (admin)")
    public Uni<List<StatementService.Balance>> balance() {
        return callers.caller().chain(statements::balances);
    }
}
