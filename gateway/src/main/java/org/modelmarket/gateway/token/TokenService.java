package org.modelmarket.gateway.token;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Creates, lists and revokes API tokens for their owners, and authenticates requests that carry one: the token is
 * found by its secret's hash (kept briefly on this replica with the JWT minted for it) and its use is remembered for
 * the next batched last-used write.
 */
@ApplicationScoped
public class TokenService {

    private static final Logger LOG = Logger.getLogger(TokenService.class);

    /** A request's API token with the JWT the gateway forwards for it. */
    public record Authenticated(ApiToken token, String forwardedJwt, Instant mintedAt) {}

    /** A created token: its stored form and the secret, which is never shown again. */
    public record Created(ApiToken token, String secret) {}

    private final TokenStore store;
    private final ForwardedJwt jwt;
    private final TokenConfig config;
    private final Cache<String, Authenticated> cache;
    private final Map<UUID, Instant> used = new ConcurrentHashMap<>();

    TokenService(TokenStore store, ForwardedJwt jwt, TokenConfig config) {
        this.store = store;
        this.jwt = jwt;
        this.config = config;
        this.cache = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(config.cacheTtl())
                .build();
    }

    /** Stores a token for {@code owner}, already validated by {@link TokenRequests}; 409 beyond the per-owner limit. */
    public Uni<Created> create(ApiToken token) {
        String secret = Secrets.generate();
        return store.insert(token, Secrets.hash(secret), config.maxPerOwner()).map(inserted -> {
            if (!inserted) {
                throw new ProblemException(
                        StandardProblem.CONFLICT,
                        "You already have " + config.maxPerOwner() + " live API tokens; revoke one first.");
            }
            return new Created(token, secret);
        });
    }

    public Uni<List<ApiToken>> list(String owner) {
        return store.byOwner(owner);
    }

    /** Revokes the owner's token; 404 problem if the owner has none with that id. Idempotent. */
    public Uni<ApiToken> revoke(String owner, UUID id) {
        return store.revoke(owner, id, Instant.now()).map(revoked -> {
            ApiToken token = revoked.orElseThrow(
                    () -> new ProblemException(StandardProblem.NOT_FOUND, "You have no API token " + id + "."));
            // Other replicas notice within cache-ttl; this one at once.
            cache.asMap().values().removeIf(entry -> entry.token().id().equals(id));
            return token;
        });
    }

    /**
     * The usable token with this secret, with a fresh forwarded JWT; empty if it is unknown, revoked or expired. Its
     * use is recorded for the next batched write.
     */
    public Uni<Optional<Authenticated>> authenticate(String secret) {
        String key = HexFormat.of().formatHex(Secrets.hash(secret));
        Instant now = Instant.now();
        Authenticated cached = cache.getIfPresent(key);
        Uni<Optional<Authenticated>> found;
        // A cached JWT is reused while it has more than half of its life left.
        if (cached != null
                && cached.mintedAt()
                        .plus(config.forwardedLifetime().dividedBy(2))
                        .isAfter(now)) {
            found = Uni.createFrom().item(Optional.of(cached));
        } else {
            found = store.bySecretHash(Secrets.hash(secret))
                    .map(token -> token.map(t -> {
                        Authenticated fresh = new Authenticated(t, jwt.mint(t, now), now);
                        cache.put(key, fresh);
                        return fresh;
                    }));
        }
        return found.map(auth -> auth.filter(a -> a.token().usableAt(now)).map(a -> {
            used.merge(a.token().id(), now, (before, after) -> after.isAfter(before) ? after : before);
            return a;
        }));
    }

    /** Writes the last-used times gathered since the previous flush, in one statement. */
    @Scheduled(
            every = "${modelmarket.gateway.tokens.last-used-flush:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flushLastUsed() {
        if (used.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<UUID, Instant> batch = new java.util.HashMap<>();
        for (UUID id : Set.copyOf(used.keySet())) {
            Instant at = used.remove(id);
            if (at != null) {
                batch.put(id, at);
            }
        }
        return store.touch(batch)
                .onFailure()
                .invoke(failure -> {
                    LOG.warnf(
                            failure,
                            "could not record the last use of %d API tokens; retrying with the next flush",
                            batch.size());
                    batch.forEach((id, at) -> used.merge(id, at, (a, b) -> a.isAfter(b) ? a : b));
                })
                .onFailure()
                .recoverWithNull();
    }

    /** Flushes now (tests read the state back without waiting for the schedule). */
    public Uni<Void> flushNow() {
        return flushLastUsed();
    }
}
