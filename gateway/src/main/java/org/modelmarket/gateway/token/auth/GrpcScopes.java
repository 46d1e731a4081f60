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
        return identity.getDeferredIdentity().map(caller -> {
            var token = ApiTokenIdentity.of(caller);
            if (token.isPresent()) {
                var requirement = new ScopeRules.Requirement(
                        Optional.of(scope), Optional.ofNullable(namespace), Optional.ofNullable(name), what);
                ScopeRules.check(token.get().token(), requirement).ifPresent(refusal -> {
                    throw Status.PERMISSION_DENIED
                            .withDescription(refusal.detail())
                            .asRuntimeException();
                });
            }
            return null;
        });
    }
}
