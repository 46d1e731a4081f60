package org.modelmarket.gateway.grpc;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.auth.AuthExceptionHandler;
import io.quarkus.grpc.auth.AuthExceptionHandlerProvider;
import io.quarkus.security.AuthenticationException;

/**
 * Reports security failures of gRPC calls as REST reports them: a caller without (valid) credentials gets
 * UNAUTHENTICATED, a known caller lacking a role gets PERMISSION_DENIED. Quarkus' default answers PERMISSION_DENIED
 * to anonymous callers of {@code @RolesAllowed} methods, as its {@code UnauthorizedException} is a
 * {@link SecurityException}. Also used for security failures of a method's {@code Uni}.
 */
@Singleton
// An alternative, so that injection points asking for the one provider (Quarkus' exception handler) get this one.
@Alternative
@Priority(1)
public class GrpcAuthFailures implements AuthExceptionHandlerProvider {

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1;
    }

    @Override
    public <ReqT, RespT> AuthExceptionHandler<ReqT, RespT> createHandler(
            ServerCall.Listener<ReqT> listener, ServerCall<ReqT, RespT> serverCall, Metadata metadata) {
        return new AuthExceptionHandler<>(listener, serverCall, metadata) {
            @Override
            protected void handleException(Throwable failure, ServerCall<ReqT, RespT> call, Metadata trailers) {
                if (handlesException(failure)) {
                    StatusRuntimeException status = (StatusRuntimeException) GrpcErrors.toStatus(failure);
                    call.close(status.getStatus(), trailers);
                } else {
                    super.handleException(failure, call, trailers);
                }
            }
        };
    }

    @Override
    public StatusException transformToStatusException(Throwable failure) {
        return ((StatusRuntimeException) GrpcErrors.toStatus(failure))
                .getStatus()
                .asException();
    }

    @Override
    public boolean handlesException(Throwable failure) {
        return failure instanceof AuthenticationException || failure instanceof SecurityException;
    }
}
