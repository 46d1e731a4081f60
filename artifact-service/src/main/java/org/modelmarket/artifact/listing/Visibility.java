package org.modelmarket.artifact.listing;

import java.util.Locale;

/** Who may see a listing's files. */
public enum Visibility {
    PUBLIC,
    UNLISTED,
    PRIVATE;

    /** Parses the event's lower-case value; unknown values fail closed as {@link #PRIVATE}. */
    public static Visibility fromEvent(String value) {
        if (value == null) {
            return PRIVATE;
        }
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return PRIVATE;
        }
    }
}
