package org.modelmarket.gateway.token.auth;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.gateway.token.Scope;

import io.grpc.Status;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * The API token check of the gRPC methods: the same {@link ScopeRules} as on HTTP, applied in the method because the
 * listing a call names is in its message (the HTTP edge cannot see it). A refusal is {@code PERMISSION_DENIED} with
 * the message naming the missing scope or the restriction; Keycloak and anonymous callers pass.
 */
@ApplicationScoped
public class GrpcScopes {

    private final CurrentIdentityAssociation identity;

    GrpcScopes(CurrentIdentityAssociation identity) {
        this.identity = identity;
    }

    /** Succeeds when the caller may do {@code what} (needing {@code scope}) on {@code namespace/name}. */
    public Uni<Void> require(Scope scope, String what, String namespace, String name) {
        return check().map(check -> {
            check.require(scope, what, namespace, name);
            return null;
        });
    }

    /**
     * The caller's check, resolved now. A client stream needs it: its later messages (an upload's header, which names
     * the listing) are processed outside the call's context, where the caller's identity is no longer current.
     */
    public Uni<Check> check() {
        return identity.getDeferredIdentity().map(caller -> {
            var token = ApiTokenIdentity.of(caller);
            return (scope, what, namespace, name) -> token.ifPresent(authenticated -> {
                var requirement = new ScopeRules.Requirement(
                        Optional.of(scope), Optional.ofNullable(namespace), Optional.ofNullable(name), what);
                ScopeRules.check(authenticated.token(), requirement).ifPresent(refusal -> {
                    throw Status.PERMISSION_DENIED
                            .withDescription(refusal.detail())
                            .asRuntimeException();
                });
            });
        });
    }

    /** A resolved check: throws {@code PERMISSION_DENIED} when an API token may not do {@code what}. */
    @FunctionalInterface
    public interface Check {
        void require(Scope scope, String what, String namespace, String name);
    }
}
