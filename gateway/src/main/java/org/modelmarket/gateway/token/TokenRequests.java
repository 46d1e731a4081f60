package org.modelmarket.gateway.token;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.platform.security.Roles;

/**
 * Checks a token request of an owner and turns it into the token to store: every field error at once as a 400
 * problem with {@code errors}; an {@code admin} scope for an owner who is no admin is a 403.
 */
public final class TokenRequests {

    public static final int MAX_NAME = 100;
    public static final int MAX_LISTINGS = 100;

    /**
     * The latest expiry a token may have. JSON allows a billion years ahead, which the database's timestamp cannot
     * hold (+999999999-12-31T23:59:59Z was stored and read back as another instant); as billing does for its dates.
     */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** A namespace or listing name as the catalog allows them (lower-case slug). */
    private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?");

    private TokenRequests() {}

    /** The owner as its Keycloak token describes it. */
    public record Owner(
            String subject, Set<String> roles, Set<String> namespaces, Optional<String> name, Optional<String> email) {}

    public static ApiToken validate(
            Owner owner,
            String name,
            List<String> scopes,
            Instant expiresAt,
            List<String> listings,
            String namespace,
            Instant now) {
        List<Problem.FieldError> errors = new ArrayList<>();
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty()) {
            errors.add(new Problem.FieldError("name", "must not be blank"));
        } else if (trimmed.length() > MAX_NAME) {
            errors.add(new Problem.FieldError("name", "must be at most " + MAX_NAME + " characters"));
        }
        Set<Scope> granted = EnumSet.noneOf(Scope.class);
        if (scopes == null || scopes.isEmpty()) {
            errors.add(new Problem.FieldError(
                    "scopes", "must name at least one of read, download, publish, meter, admin"));
        } else {
            for (String wire : scopes) {
                Optional<Scope> scope = wire == null ? Optional.empty() : Scope.parse(wire);
                if (scope.isEmpty()) {
                    errors.add(new Problem.FieldError(
                            "scopes", "unknown scope '" + wire + "': use read, download, publish, meter or admin"));
                } else {
                    granted.add(scope.get());
                }
            }
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            errors.add(new Problem.FieldError("expiresAt", "must lie in the future"));
        } else if (expiresAt != null && expiresAt.isAfter(LATEST)) {
            errors.add(new Problem.FieldError("expiresAt", "must be before the year 10000"));
        }
        Set<String> restrictedTo = new LinkedHashSet<>();
        if (listings != null) {
            if (listings.size() > MAX_LISTINGS) {
                errors.add(new Problem.FieldError("listings", "at most " + MAX_LISTINGS + " listings"));
            }
            for (String listing : listings) {
                String[] parts = listing == null ? new String[0] : listing.split("/", -1);
                if (parts.length != 2
                        || !SLUG.matcher(parts[0]).matches()
                        || !SLUG.matcher(parts[1]).matches()) {
                    errors.add(new Problem.FieldError(
                            "listings", "'" + listing + "' is not a listing id 'namespace/name'"));
                } else if (namespace != null && !parts[0].equals(namespace)) {
                    errors.add(
                            new Problem.FieldError("listings", "'" + listing + "' is outside namespace " + namespace));
                } else {
                    restrictedTo.add(listing);
                }
            }
        }
        if (namespace != null && !SLUG.matcher(namespace).matches()) {
            errors.add(new Problem.FieldError("namespace", "'" + namespace + "' is not a namespace"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(StandardProblem.VALIDATION, "The token request is invalid.", errors);
        }
        if (granted.contains(Scope.ADMIN) && !owner.roles().contains(Roles.ADMIN)) {
            throw new ProblemException(
                    StandardProblem.FORBIDDEN, "Only administrators may create tokens with the admin scope.");
        }
        return new ApiToken(
                UUID.randomUUID(),
                owner.subject(),
                trimmed,
                granted,
                List.copyOf(restrictedTo),
                Optional.ofNullable(namespace),
                owner.roles(),
                owner.namespaces(),
                owner.name(),
                owner.email(),
                now.truncatedTo(ChronoUnit.MICROS),
                Optional.ofNullable(expiresAt).map(at -> at.truncatedTo(ChronoUnit.MICROS)),
                Optional.empty(),
                Optional.empty());
    }
}
