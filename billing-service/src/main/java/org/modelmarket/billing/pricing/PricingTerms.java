package org.modelmarket.billing.pricing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.modelmarket.billing.money.Money;
import org.modelmarket.platform.problem.Problem;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a listing costs, as its vendor set it (one immutable pricing version): a currency, an optional free trial, one
 * or more subscription plans (a price per month or year, possibly zero for usage-only) and usage dimensions (a unit
 * price per {@code per} units beyond an included quantity per invoice month). Amounts are exact decimals in the
 * currency's major unit (e.g. {@code "12.50"} EUR), with at most the currency's ISO 4217 exponent for prices and six
 * more digits for unit prices.
 */
public record PricingTerms(
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR")
        String currency,

        @PositiveOrZero @Max(365) int trialDays,
        @NotNull @Size(min = 1, max = 10) List<@Valid @NotNull Plan> plans,
        @Size(max = 20) List<@Valid @NotNull Dimension> dimensions) {

    /** Names of plans and dimensions. */
    public static final String NAME = "^[a-z][a-z0-9_]{0,39}$";

    /**
     * The highest plan or unit price, in the currency's major unit. Amounts are kept as a long count of minor units, so
     * a price must convert to one: 10^26 EUR was accepted here and made every subscription to it a 500 (overflow).
     */
    public static final String MAX_PRICE = "1000000000";

    public PricingTerms {
        dimensions = dimensions == null ? List.of() : dimensions;
    }

    /**
     * How often a plan's price is charged. {@code minute} exists so that end-to-end tests can see a period end on
     * the real stack without moving any clock; pricing refuses it unless {@code modelmarket.billing.pricing.minute-periods}
     * is on (off by default, set only by the launcher's test stack).
     */
    public enum Period {
        @JsonProperty("month")
        MONTH,
        @JsonProperty("year")
        YEAR,
        @JsonProperty("minute")
        MINUTE;

        /** The end of a period that starts at {@code start} (calendar months/years in UTC). */
        public Instant after(Instant start) {
            var time = start.atOffset(ZoneOffset.UTC);
            var end = switch (this) {
                case MONTH -> time.plusMonths(1);
                case YEAR -> time.plusYears(1);
                case MINUTE -> time.plusMinutes(1);
            };
            return end.toInstant();
        }
    }

    /** A subscription plan: {@code price} per {@code period}, charged at the start of each period. */
    public record Plan(
            @NotNull @Pattern(regexp = NAME, message = "must be 1-40 lower-case letters, digits or '_'")
            String code,

            @NotNull Period period,

            @NotNull
            @DecimalMin(value = "0", message = "must not be negative")
            @DecimalMax(value = MAX_PRICE, message = "must be at most " + MAX_PRICE)
            BigDecimal price) {

        /** Exact decimal text on the wire ("100.00"), never a JSON number a client could read as a float. */
        @Override
        @JsonFormat(shape = JsonFormat.Shape.STRING)
        public BigDecimal price() {
            return price;
        }
    }

    /** A usage dimension: {@code unitPrice} per {@code per} units beyond {@code includedQuantity} per invoice month. */
    public record Dimension(
            @NotNull @Pattern(regexp = NAME, message = "must be 1-40 lower-case letters, digits or '_'")
            String name,

            @NotNull
            @DecimalMin(value = "0", message = "must not be negative")
            @DecimalMax(value = MAX_PRICE, message = "must be at most " + MAX_PRICE)
            BigDecimal unitPrice,

            @Positive @Max(1_000_000) long per,
            @PositiveOrZero long includedQuantity) {

        @Override
        @JsonFormat(shape = JsonFormat.Shape.STRING)
        public BigDecimal unitPrice() {
            return unitPrice;
        }

        /** The exact price of {@code billable} units, before the one rounding. */
        public BigDecimal price(long billable) {
            return unitPrice.multiply(BigDecimal.valueOf(billable)).divide(BigDecimal.valueOf(per), MATH);
        }
    }

    // Exact for every division by a positive long up to 10^6 that terminates; non-terminating ones keep 34 digits
    // before the single rounding to the minor unit.
    private static final java.math.MathContext MATH = java.math.MathContext.DECIMAL128;

    public Optional<Plan> plan(String code) {
        return plans.stream().filter(plan -> plan.code().equals(code)).findFirst();
    }

    public Optional<Dimension> dimension(String name) {
        return dimensions.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    public Duration trial() {
        return Duration.ofDays(trialDays);
    }

    /** Checks Bean Validation cannot express; the field errors, empty when valid. */
    public List<Problem.FieldError> check(String prefix) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (!Money.isCurrency(currency)) {
            errors.add(new Problem.FieldError(prefix + "currency", "is not an ISO 4217 currency"));
            return errors;
        }
        int exponent = Money.exponent(currency);
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < plans.size(); i++) {
            Plan plan = plans.get(i);
            if (!codes.add(plan.code())) {
                errors.add(new Problem.FieldError(prefix + "plans[" + i + "].code", "is not unique"));
            }
            if (plan.price().stripTrailingZeros().scale() > exponent) {
                errors.add(new Problem.FieldError(
                        prefix + "plans[" + i + "].price",
                        "must have at most " + exponent + " decimals for " + currency));
            }
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < dimensions.size(); i++) {
            Dimension dimension = dimensions.get(i);
            if (!names.add(dimension.name())) {
                errors.add(new Problem.FieldError(prefix + "dimensions[" + i + "].name", "is not unique"));
            }
            if (dimension.unitPrice().stripTrailingZeros().scale() > exponent + Money.UNIT_PRICE_EXTRA_DIGITS) {
                errors.add(new Problem.FieldError(
                        prefix + "dimensions[" + i + "].unitPrice",
                        "must have at most " + (exponent + Money.UNIT_PRICE_EXTRA_DIGITS) + " decimals for "
                                + currency));
            }
        }
        return errors;
    }
}
