package org.modelmarket.gateway.token;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** The {@code api_token} table, over the reactive PostgreSQL client. */
@ApplicationScoped
public class TokenStore {

    private static final String COLUMNS = "id, owner_subject, name, scopes, listings, namespace, owner_roles,"
            + " owner_namespaces, owner_name, owner_email, created_at, expires_at, last_used_at, revoked_at";

    private final Pool pool;

    TokenStore(Pool pool) {
        this.pool = pool;
    }

    /** Inserts a new token, unless its owner already has {@code max} live ones; false then. */
    public Uni<Boolean> insert(ApiToken token, byte[] secretHash, int max) {
        // One statement: the count and the insert see the same snapshot per owner, and concurrent creations by one
        // owner are rare enough that an occasional max+1 is acceptable.
        return pool.preparedQuery("INSERT INTO api_token (" + COLUMNS + ", secret_hash)"
                        + " SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, NULL, $13"
                        + " WHERE (SELECT count(*) FROM api_token WHERE owner_subject = $2 AND revoked_at IS NULL"
                        + " AND (expires_at IS NULL OR expires_at > now())) < $14")
                .execute(Tuple.tuple()
                        .addUUID(token.id())
                        .addString(token.ownerSubject())
                        .addString(token.name())
                        .addArrayOfString(
                                token.scopes().stream().map(Scope::wire).toArray(String[]::new))
                        .addArrayOfString(token.listings().toArray(String[]::new))
                        .addString(token.namespace().orElse(null))
                        .addArrayOfString(token.ownerRoles().toArray(String[]::new))
                        .addArrayOfString(token.ownerNamespaces().toArray(String[]::new))
                        .addString(token.ownerName().orElse(null))
                        .addString(token.ownerEmail().orElse(null))
                        .addOffsetDateTime(utc(token.createdAt()))
                        .addOffsetDateTime(
                                token.expiresAt().map(TokenStore::utc).orElse(null))
                        .addBuffer(Buffer.buffer(secretHash))
                        .addInteger(max))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The owner's tokens, newest first, revoked ones included (they show when they were revoked). */
    public Uni<List<ApiToken>> byOwner(String owner) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_token WHERE owner_subject = $1"
                        + " ORDER BY created_at DESC, id")
                .execute(Tuple.of(owner))
                .map(TokenStore::all);
    }

    /** The token with this secret hash, whatever its state. */
    public Uni<Optional<ApiToken>> bySecretHash(byte[] hash) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_token WHERE secret_hash = $1")
                .execute(Tuple.tuple().addBuffer(Buffer.buffer(hash)))
                .map(rows -> all(rows).stream().findFirst());
    }

    /** Revokes the owner's token {@code id}; the token as it is then, empty if the owner has no such token. */
    public Uni<Optional<ApiToken>> revoke(String owner, UUID id, Instant at) {
        return pool.preparedQuery("UPDATE api_token SET revoked_at = coalesce(revoked_at, $3)"
                        + " WHERE id = $1 AND owner_subject = $2 RETURNING " + COLUMNS)
                .execute(Tuple.of(id, owner, utc(at)))
                .map(rows -> all(rows).stream().findFirst());
    }

    /** Records when tokens were last used, in one statement; a later time never goes back. */
    public Uni<Void> touch(Map<UUID, Instant> lastUsed) {
        if (lastUsed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] ids = lastUsed.keySet().toArray(UUID[]::new);
        OffsetDateTime[] times =
                Arrays.stream(ids).map(id -> utc(lastUsed.get(id))).toArray(OffsetDateTime[]::new);
        return pool.preparedQuery("UPDATE api_token t SET last_used_at = greatest(t.last_used_at, u.at)"
                        + " FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at) WHERE t.id = u.id")
                .execute(Tuple.of(ids, times))
                .replaceWithVoid();
    }

    private static List<ApiToken> all(RowSet<Row> rows) {
        List<ApiToken> tokens = new java.util.ArrayList<>();
        rows.forEach(row -> tokens.add(token(row)));
        return tokens;
    }

    private static ApiToken token(Row row) {
        return new ApiToken(
                row.getUUID("id"),
                row.getString("owner_subject"),
                row.getString("name"),
                Arrays.stream(row.getArrayOfStrings("scopes"))
                        .map(wire -> Scope.parse(wire).orElseThrow())
                        .collect(Collectors.toCollection(() -> java.util.EnumSet.noneOf(Scope.class))),
                List.of(row.getArrayOfStrings("listings")),
                Optional.ofNullable(row.getString("namespace")),
                set(row.getArrayOfStrings("owner_roles")),
                set(row.getArrayOfStrings("owner_namespaces")),
                Optional.ofNullable(row.getString("owner_name")),
                Optional.ofNullable(row.getString("owner_email")),
                row.getOffsetDateTime("created_at").toInstant(),
                Optional.ofNullable(row.getOffsetDateTime("expires_at")).map(OffsetDateTime::toInstant),
                Optional.ofNullable(row.getOffsetDateTime("last_used_at")).map(OffsetDateTime::toInstant),
                Optional.ofNullable(row.getOffsetDateTime("revoked_at")).map(OffsetDateTime::toInstant));
    }

    private static Set<String> set(String[] values) {
        return new LinkedHashSet<>(Arrays.asList(values));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
