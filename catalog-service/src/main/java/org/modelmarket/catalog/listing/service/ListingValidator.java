package org.modelmarket.catalog.listing.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.modelmarket.catalog.listing.Listing;
import org.modelmarket.catalog.listing.ListingRequest;
import org.modelmarket.catalog.problem.CatalogProblem;
import org.modelmarket.catalog.taxonomy.Taxonomy;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.ProblemException;

/**
 * The listing rules bean validation cannot express: controlled taxonomy, ISO 639-1 languages, gated listings need
 * terms, and the review checklist (licence {@code other} needs the vendor's EULA).
 */
final class ListingValidator {

    private static final Set<String> ISO_639_1 = Set.of(Locale.getISOLanguages());

    private ListingValidator() {}

    /** 400 with every field error at once. */
    static void validate(ListingRequest request, boolean creating) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (creating && request.namespace() == null) {
            errors.add(new Problem.FieldError("namespace", "must not be null"));
        }
        if (creating && request.name() == null) {
            errors.add(new Problem.FieldError("name", "must not be null"));
        }
        if (!creating && request.draft() != null) {
            errors.add(new Problem.FieldError("draft", "only applies to creation"));
        }
        if (request.modality() != null && !Taxonomy.isModality(request.modality())) {
            errors.add(new Problem.FieldError("modality", "must be one of " + String.join(", ", Taxonomy.MODALITIES)));
        }
        if (request.task() != null && !Taxonomy.isTask(request.task())) {
            errors.add(new Problem.FieldError("task", "must be a task of GET /api/v1/taxonomy"));
        }
        List<String> languages = request.languages() == null ? List.of() : request.languages();
        for (int i = 0; i < languages.size(); i++) {
            if (languages.get(i) != null && !ISO_639_1.contains(languages.get(i))) {
                errors.add(new Problem.FieldError("languages[" + i + "]", "must be an ISO 639-1 code like en"));
            }
        }
        if (Boolean.TRUE.equals(request.gated())
                && (request.gateTerms() == null || request.gateTerms().isBlank())) {
            errors.add(new Problem.FieldError("gateTerms", "is required when gated is true"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(CatalogProblem.VALIDATION, "The request has invalid fields", errors);
        }
    }

    /** The review checklist of a submission (422 with field errors). */
    static void checkSubmittable(Listing listing) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if ("other".equalsIgnoreCase(listing.license) && (listing.eula == null || listing.eula.isBlank())) {
            errors.add(new Problem.FieldError("eula", "is required when license is other"));
        }
        if (listing.summary == null || listing.summary.isBlank()) {
            errors.add(new Problem.FieldError("summary", "is required for review"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(
                    CatalogProblem.INCOMPLETE_LISTING, "Complete the listing before submitting it for review", errors);
        }
    }
}
