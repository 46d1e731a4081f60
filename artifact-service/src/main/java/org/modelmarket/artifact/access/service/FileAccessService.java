package org.modelmarket.artifact.access.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.LockMode;
import org.modelmarket.artifact.access.OpenFileRules;
import org.modelmarket.artifact.access.OpenFiles;
import org.modelmarket.artifact.listing.Listing;
import org.modelmarket.artifact.listing.service.ListingAccess;
import org.modelmarket.platform.outbox.OutboxWriter;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.platform.security.Caller;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * A listing's file access rule: which files stay open before buying. Anyone who sees the listing may read it; its
 * owners and admins may set it or return to the service's default. The rule lives on the listing's projected row, so
 * downloads read it with the listing and never ask for it separately.
 */
@ApplicationScoped
public class FileAccessService {

    private static final String SET = """
            update listing set open_files = ?1, open_files_updated_at = ?2, open_files_updated_by = ?3,
                open_files_version = ?4
            where listing_id = ?5
            """;
    private static final String CLEAR = """
            update listing set open_files = null, open_files_updated_at = ?1, open_files_updated_by = ?2,
                open_files_version = ?3
            where listing_id = ?4
            """;

    private final ListingAccess access;
    private final OpenFileRules rules;
    private final OutboxWriter outbox;

    public FileAccessService(ListingAccess access, OpenFileRules rules, OutboxWriter outbox) {
        this.access = access;
        this.rules = rules;
        this.outbox = outbox;
    }

    /**
     * The rule that applies to a listing.
     *
     * @param own whether the listing has its own rule ({@code false}: the service's default applies)
     * @param updatedAt when the listing's own rule was last set or cleared, {@code null} if never
     * @param version the revision of the listing's rule (0: never set), its ETag
     */
    public record FileAccess(
            Listing listing,
            List<String> openFiles,
            boolean own,
            List<String> defaults,
            Instant updatedAt,
            long version) {

        /** The strong ETag of this state of the rule. */
        public String etag() {
            return FileAccessService.etag(version);
        }
    }

    /** The strong ETag of revision {@code version} of a listing's rule. */
    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** The rule of a listing {@code caller} can see; 404 otherwise. */
    @WithSession
    public Uni<FileAccess> get(String namespace, String name, Caller caller) {
        return access.readable(namespace, name, caller).map(this::current);
    }

    private FileAccess current(Listing listing) {
        return new FileAccess(
                listing,
                rules.of(listing).patterns(),
                listing.openFiles != null,
                rules.defaults().patterns(),
                listing.openFilesUpdatedAt,
                listing.openFilesVersion);
    }

    /** Why {@code caller} may download the weight files of a listing they can see; 404, 401, 403 or 402 otherwise. */
    public record WeightsAccess(Listing listing, String reason) {}

    /**
     * The caller's standing for the weight files of a listing, decided as a download of one would be (accepted
     * terms, an entitlement; owners and admins pass), without naming a file: what the Hub's auth-check asks.
     */
    @WithSession
    public Uni<WeightsAccess> weights(String namespace, String name, Caller caller) {
        return access.readable(namespace, name, caller)
                .chain(listing ->
                        access.checkWeights(listing, caller).map(reason -> new WeightsAccess(listing, reason)));
    }

    /**
     * Sets the listing's own open-file patterns (owners and admins). Invalid patterns are refused with a 400 naming
     * each, and nothing is written. With {@code ifMatch} (the {@code If-Match} header), a 412 unless it names the
     * rule's current ETag. A change publishes {@code FileAccessChanged}; setting the rule it already has changes
     * nothing.
     */
    @WithTransaction
    public Uni<FileAccess> set(String namespace, String name, Caller caller, List<String> patterns, String ifMatch) {
        return write(namespace, name, caller, validated(patterns), ifMatch);
    }

    /** Removes the listing's own rule: the service's default applies again (owners and admins); as {@link #set}. */
    @WithTransaction
    public Uni<FileAccess> clear(String namespace, String name, Caller caller, String ifMatch) {
        return write(namespace, name, caller, null, ifMatch);
    }

    private Uni<FileAccess> write(String namespace, String name, Caller caller, List<String> patterns, String ifMatch) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return access.writable(namespace, name, caller)
                // The row lock serializes writers and the refresh reads the rule as committed, so that If-Match is
                // compared with the revision this write replaces (of two writers sending one ETag, one gets 412).
                .call(listing ->
                        Panache.getSession().chain(session -> session.refresh(listing, LockMode.PESSIMISTIC_WRITE)))
                .chain(listing -> {
                    if (ifMatch != null && !matches(ifMatch, listing.openFilesVersion)) {
                        throw new ProblemException(
                                StandardProblem.PRECONDITION_FAILED,
                                "The open-file rule of " + listing.coordinates() + " is at ETag "
                                        + etag(listing.openFilesVersion) + ", not " + ifMatch
                                        + ": read it again (GET .../file-access) and retry.");
                    }
                    boolean unchanged = patterns == null
                            ? listing.openFiles == null
                            : listing.openFiles != null
                                    && Arrays.asList(listing.openFiles).equals(patterns);
                    if (unchanged) {
                        return Uni.createFrom().item(current(listing));
                    }
                    long version = listing.openFilesVersion + 1;
                    FileAccess changed = new FileAccess(
                            listing,
                            patterns == null ? rules.defaults().patterns() : patterns,
                            patterns != null,
                            rules.defaults().patterns(),
                            now,
                            version);
                    FileAccessChanged event = new FileAccessChanged(
                            listing.id,
                            listing.coordinates(),
                            version,
                            patterns == null ? "default" : "listing",
                            changed.openFiles(),
                            caller.subject(),
                            now);
                    return Panache.getSession()
                            .chain(session -> (patterns == null
                                            ? session.createNativeQuery(CLEAR)
                                                    .setParameter(1, now)
                                                    .setParameter(2, caller.subject())
                                                    .setParameter(3, version)
                                                    .setParameter(4, listing.id)
                                            : session.createNativeQuery(SET)
                                                    .setParameter(1, patterns.toArray(String[]::new))
                                                    .setParameter(2, now)
                                                    .setParameter(3, caller.subject())
                                                    .setParameter(4, version)
                                                    .setParameter(5, listing.id))
                                    .executeUpdate())
                            // In the same transaction: the rule and its event commit together or not at all.
                            .chain(() -> outbox.append(
                                    FileAccessChanged.TOPIC,
                                    FileAccessChanged.AGGREGATE_TYPE,
                                    listing.id.toString(),
                                    null,
                                    FileAccessChanged.TYPE,
                                    now,
                                    event))
                            .replaceWith(changed);
                });
    }

    /**
     * Whether an {@code If-Match} value names revision {@code version}: {@code *}, or a list of strong ETags one of
     * which is the current one (RFC 9110 13.1.1: strong comparison, so a weak {@code W/} tag never matches).
     */
    static boolean matches(String ifMatch, long version) {
        String current = etag(version);
        for (String tag : ifMatch.split(",")) {
            String trimmed = tag.trim();
            if (trimmed.equals("*") || trimmed.equals(current)) {
                return true;
            }
        }
        return false;
    }

    /** The patterns if every one is valid and none repeats; a 400 naming each bad one otherwise. */
    static List<String> validated(List<String> patterns) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (patterns.size() > OpenFiles.MAX_PATTERNS) {
            errors.add(
                    new Problem.FieldError("openFiles", "must hold at most " + OpenFiles.MAX_PATTERNS + " patterns"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < patterns.size(); i++) {
            String pattern = patterns.get(i);
            String field = "openFiles[" + i + "]";
            OpenFiles.problem(pattern)
                    .ifPresentOrElse(reason -> errors.add(new Problem.FieldError(field, reason)), () -> {
                        if (!seen.add(pattern)) {
                            errors.add(new Problem.FieldError(field, "repeats an earlier pattern: " + pattern));
                        }
                    });
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(StandardProblem.VALIDATION, "The request has invalid fields", errors);
        }
        return List.copyOf(patterns);
    }
}
