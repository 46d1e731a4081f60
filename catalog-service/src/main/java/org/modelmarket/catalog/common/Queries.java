package org.modelmarket.catalog.common;

import java.util.Locale;

import org.modelmarket.platform.problem.ProblemException;

/** Query-parameter parsing with 400 problems naming the parameter (JAX-RS would answer 404 for a bad enum). */
public final class Queries {

    public static final int MAX_PAGE_SIZE = 100;

    private Queries() {}

    public static void page(int page, int size) {
        if (page < 0) {
            throw ProblemException.invalid("page", "must be greater than or equal to 0");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw ProblemException.invalid("size", "must be between 1 and " + MAX_PAGE_SIZE);
        }
    }

    /** The enum constant whose lowercase name is {@code value}, {@code null} for no value, else 400. */
    public static <E extends Enum<E>> E enumValue(String parameter, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
                return constant;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.isEmpty() ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
        }
        throw ProblemException.invalid(parameter, "must be one of " + allowed);
    }
}
