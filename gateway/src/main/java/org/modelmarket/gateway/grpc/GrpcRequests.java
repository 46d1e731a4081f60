package org.modelmarket.gateway.grpc;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Checks and encodings shared by the gRPC services: what protobuf cannot express, checked before a service is asked.
 */
final class GrpcRequests {

    static final int MAX_PAGE_SIZE = 100;

    private GrpcRequests() {}

    /** The listing path {@code /api/v1/listings/{ns}/{name}}, or INVALID_ARGUMENT when either part is missing. */
    static String listing(String namespace, String name) {
        require(!namespace.isEmpty() && !name.isEmpty(), "namespace and name are required");
        return "/api/v1/listings/" + segment(namespace) + "/" + segment(name);
    }

    /** Zero-based page and a size of 0 (the service's default) or 1..100. */
    static void paging(int page, int size) {
        require(page >= 0, "page: must be greater than or equal to 0");
        require(size >= 0 && size <= MAX_PAGE_SIZE, "size: must be between 1 and 100");
    }

    static void require(boolean condition, String description) {
        if (!condition) {
            throw invalid(description);
        }
    }

    static StatusRuntimeException invalid(String description) {
        return GrpcErrors.invalidArgument(description);
    }

    /**
     * One path segment, percent-encoded (spaces as {@code %20}), or INVALID_ARGUMENT for {@code .} and {@code ..}:
     * percent-encoding leaves them as they are, and the service would resolve them to another resource than the one
     * the call names (and an API token's restriction was checked against).
     */
    static String segment(String value) {
        require(!isDotSegment(value), "'" + value + "' is not a valid name");
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A file path of a listing: INVALID_ARGUMENT when a segment is {@code .} or {@code ..} (see {@link #segment}). */
    static void filePath(String path) {
        for (String segment : path.split("/", -1)) {
            require(!isDotSegment(segment), "path: must not contain '.' or '..' segments");
        }
    }

    /**
     * {@code call}, or a failed Uni when {@code checks} (the checks above) find bad input: its INVALID_ARGUMENT becomes
     * the call's failure instead of an exception thrown at the gRPC server.
     */
    static <T> Uni<T> checked(Runnable checks, Supplier<Uni<T>> call) {
        StatusRuntimeException invalid = invalidIn(checks);
        return invalid == null ? call.get() : Uni.createFrom().failure(invalid);
    }

    /** As {@link #checked} for a server stream. */
    static <T> Multi<T> checkedStream(Runnable checks, Supplier<Multi<T>> call) {
        StatusRuntimeException invalid = invalidIn(checks);
        return invalid == null ? call.get() : Multi.createFrom().failure(invalid);
    }

    private static StatusRuntimeException invalidIn(Runnable checks) {
        try {
            checks.run();
            return null;
        } catch (StatusRuntimeException invalid) {
            return invalid;
        }
    }

    private static boolean isDotSegment(String value) {
        return value.equals(".") || value.equals("..");
    }

    /** A query string built from name/value pairs, leaving out empty values; "" when none is left. */
    static final class Query {

        private final StringBuilder query = new StringBuilder();

        Query add(String name, String value) {
            if (value != null && !value.isEmpty()) {
                query.append(query.isEmpty() ? '?' : '&')
                        .append(name)
                        .append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
            return this;
        }

        Query add(String name, int value, boolean onlyPositive) {
            return onlyPositive && value <= 0 ? this : add(name, Integer.toString(value));
        }

        Query addAll(String name, List<String> values) {
            values.forEach(value -> add(name, value));
            return this;
        }

        @Override
        public String toString() {
            return query.toString();
        }
    }
}
