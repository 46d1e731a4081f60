package org.modelmarket.billing.listing;

import java.util.Locale;

/** How a listing is sold. */
public enum PriceType {
    FREE,
    PAID,
    TRIAL;

    /** Parses the event's lower-case value; unknown values fail closed as {@link #PAID}. */
    public static PriceType fromEvent(String value) {
        if (value == null) {
            return PAID;
        }
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return PAID;
        }
    }
}
