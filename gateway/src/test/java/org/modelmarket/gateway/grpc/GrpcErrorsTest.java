package org.modelmarket.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.modelmarket.gateway.problem.DownstreamProblemException;
import org.modelmarket.gateway.testing.Listings;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The gRPC code of a downstream problem, by what it means: its HTTP status, and for a 409 its problem type (a real
 * duplicate, a lost race, or a state that does not allow the call).
 */
class GrpcErrorsTest {

    /** Where the services declare their problem types ({@code ProblemType.of("slug", 409, ...)}). */
    private static final Pattern CONFLICT_TYPE = Pattern.compile("\\(\\s*\"([a-z0-9-]+)\",\\s*409\\s*,");

    @ParameterizedTest
    @CsvSource({
        // What the call would create exists already.
        "already-subscribed, ALREADY_EXISTS",
        "listing-exists, ALREADY_EXISTS",
        "vendor-exists, ALREADY_EXISTS",
        "version-exists, ALREADY_EXISTS",
        // A concurrent change won: read again and retry the read-modify-write.
        "concurrent-modification, ABORTED",
        "parent-mismatch, ABORTED",
        // The resource's state does not allow the call: retrying will not help until that state changes.
        "listing-is-free, FAILED_PRECONDITION",
        "transition-not-allowed, FAILED_PRECONDITION",
        "offer-unavailable, FAILED_PRECONDITION",
        "invoice-state, FAILED_PRECONDITION",
        "invalid-transition, FAILED_PRECONDITION",
        "immutable, FAILED_PRECONDITION",
        "conflict, FAILED_PRECONDITION",
        "path-conflict, FAILED_PRECONDITION",
        "upload-incomplete, FAILED_PRECONDITION",
        "rebuild-in-progress, FAILED_PRECONDITION",
        // A type the gateway does not know: a conflict with the resource's state.
        "some-future-conflict, FAILED_PRECONDITION",
    })
    void aConflictMapsByItsProblemType(String slug, Status.Code code) {
        Status status = status(409, Listings.problem(slug, 409, "Conflict", "Why: " + slug));

        assertThat(status.getCode()).isEqualTo(code);
        assertThat(status.getDescription()).isEqualTo("Why: " + slug);
    }

    @Test
    void aConflictWithoutAProblemBodyIsAFailedPrecondition() {
        assertThat(status(409, "").getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(status(409, "not json").getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(status(409, "{\"title\":\"Conflict\"}").getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    }

    @Test
    void everyConflictTypeTheServicesDeclareIsInTheTable() throws IOException {
        Map<String, Path> declared = new TreeMap<>();
        Path repository = Path.of("..").toAbsolutePath().normalize();
        try (Stream<Path> files = Files.walk(repository, 20)) {
            for (Path file : files.filter(path -> path.toString().contains("/src/main/java/")
                            && path.getFileName().toString().endsWith("Problem.java"))
                    .toList()) {
                Matcher matcher = CONFLICT_TYPE.matcher(Files.readString(file));
                while (matcher.find()) {
                    declared.put(matcher.group(1), file);
                }
            }
        }

        assertThat(declared.keySet())
                .as("409 problem types declared in %s", repository)
                .contains("already-subscribed", "listing-is-free", "listing-exists", "parent-mismatch", "conflict");
        Set<String> unmapped = declared.keySet().stream()
                .filter(slug -> !GrpcErrors.CONFLICTS.containsKey(slug))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(unmapped)
                .as("409 types without a gRPC code in GrpcErrors.CONFLICTS")
                .isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "400, INVALID_ARGUMENT",
        "422, INVALID_ARGUMENT",
        "401, UNAUTHENTICATED",
        "402, PERMISSION_DENIED",
        "403, PERMISSION_DENIED",
        "404, NOT_FOUND",
        "412, FAILED_PRECONDITION",
        "428, FAILED_PRECONDITION",
        "413, RESOURCE_EXHAUSTED",
        "416, OUT_OF_RANGE",
        "429, RESOURCE_EXHAUSTED",
    })
    void otherStatusesMapByTheirStatus(int httpStatus, Status.Code code) {
        assertThat(status(httpStatus, Listings.problem(httpStatus, "Problem", "detail"))
                        .getCode())
                .isEqualTo(code);
    }

    private static Status status(int httpStatus, String body) {
        Throwable mapped = GrpcErrors.toStatus(
                new DownstreamProblemException("billing", httpStatus, "application/problem+json", body));
        assertThat(mapped).isInstanceOf(StatusRuntimeException.class);
        return ((StatusRuntimeException) mapped).getStatus();
    }
}
