package org.modelmarket.catalog.problem;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.OptimisticLockException;

import org.hibernate.StaleStateException;
import org.hibernate.exception.ConstraintViolationException;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.ProblemTranslator;

/**
 * The catalog's database failures that mean something to the caller, for the platform's problem mappers: a unique
 * constraint meaning "exists already" (a concurrent creation the service's own check could not see) and an
 * optimistic-lock failure are 409s; anything else stays a 500.
 */
@ApplicationScoped
public class CatalogProblemTranslator implements ProblemTranslator {

    private static final String LISTING_UNIQUE = "uq_listing_namespace_name";
    private static final String VENDOR_PK = "pk_vendor";
    private static final String VERSION_UNIQUE = "uq_listing_version";

    @Override
    public Optional<ProblemException> translate(Throwable failure) {
        if (failure instanceof OptimisticLockException || failure instanceof StaleStateException) {
            return Optional.of(new ProblemException(
                    CatalogProblem.CONCURRENT_MODIFICATION,
                    "The resource was changed by someone else; reload it and retry"));
        }
        if (failure instanceof ConstraintViolationException violation) {
            String constraint = violation.getConstraintName() == null ? "" : violation.getConstraintName();
            if (constraint.contains(LISTING_UNIQUE)) {
                return Optional.of(new ProblemException(CatalogProblem.LISTING_EXISTS, "The listing already exists"));
            }
            if (constraint.contains(VENDOR_PK)) {
                return Optional.of(new ProblemException(
                        CatalogProblem.VENDOR_EXISTS, "The namespace is taken (perhaps concurrently)"));
            }
            if (constraint.contains(VERSION_UNIQUE)) {
                return Optional.of(new ProblemException(CatalogProblem.VERSION_EXISTS, "The version exists already"));
            }
        }
        return Optional.empty();
    }
}
