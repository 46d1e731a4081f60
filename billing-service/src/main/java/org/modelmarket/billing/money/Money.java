package org.modelmarket.billing.money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * Exact money: amounts are stored as a long count of the currency's minor unit (its ISO 4217 exponent: 2 for EUR,
 * 0 for JPY, 3 for KWD), computed with {@link BigDecimal}, never floating point. The one rounding rule: a line's
 * amount is computed exactly, then rounded once to the minor unit, half-even ({@link #ROUNDING}).
 */
public final class Money {

    /** Banker's rounding, applied once per line. */
    public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;

    /** Extra decimals a unit price may carry beyond the currency's exponent (e.g. 0.000125 EUR per request). */
    public static final int UNIT_PRICE_EXTRA_DIGITS = 6;

    private Money() {}

    /** Whether {@code code} is an ISO 4217 currency with a defined exponent. */
    public static boolean isCurrency(String code) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            return false;
        }
        try {
            return Currency.getInstance(code).getDefaultFractionDigits() >= 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The currency's ISO 4217 exponent (digits of its minor unit). */
    public static int exponent(String currency) {
        return Currency.getInstance(currency).getDefaultFractionDigits();
    }

    /** An amount in major units converted exactly; fails if it has more decimals than the currency allows. */
    public static long toMinor(BigDecimal major, String currency) {
        return major.movePointRight(exponent(currency)).longValueExact();
    }

    /** Rounds an exact amount in major units to minor units with the one rule. */
    public static long round(BigDecimal major, String currency) {
        return major.setScale(exponent(currency), ROUNDING)
                .movePointRight(exponent(currency))
                .longValueExact();
    }

    /** Minor units shown in major units with the currency's exponent, e.g. 1234 EUR → "12.34". */
    public static String format(long minor, String currency) {
        return BigDecimal.valueOf(minor, exponent(currency)).toPlainString();
    }
}
