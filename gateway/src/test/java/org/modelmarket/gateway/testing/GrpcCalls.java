package org.modelmarket.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import com.google.protobuf.Message;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcClientUtils;
import io.quarkus.grpc.MutinyService;

/** Test helpers for gRPC calls to the gateway: bearer metadata, status assertions, a call of any method. */
public final class GrpcCalls {

    /** How long a test waits for a gRPC answer. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    /** The {@code authorization} metadata key. */
    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private GrpcCalls() {}

    /** {@code client} sending {@code bearer} ({@code "Bearer ..."}) as its authorization metadata. */
    public static <T extends MutinyService> T withToken(T client, String bearer) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, bearer);
        return GrpcClientUtils.attachHeaders(client, headers);
    }

    /** Runs {@code call}, which must fail with {@code code}; returns the failure. */
    public static StatusRuntimeException assertStatus(ThrowingCallable call, Status.Code code) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(StatusRuntimeException.class);
        StatusRuntimeException e = (StatusRuntimeException) thrown;
        assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
        return e;
    }

    /**
     * Calls {@code method} (unary, server-streaming or client-streaming) with {@code requests} (one, or a client
     * stream's messages in order) and {@code bearer} (null: anonymous), reading every answer; returns the call's
     * status code.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Status.Code invoke(
            Channel channel, MethodDescriptor<?, ?> method, List<? extends Message> requests, String bearer) {
        Channel target = channel;
        if (bearer != null) {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, bearer);
            target = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        MethodDescriptor raw = method;
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            switch (method.getType()) {
                case UNARY -> ClientCalls.blockingUnaryCall(target, raw, options, requests.get(0));
                case SERVER_STREAMING -> {
                    Iterator<?> answers =
                            ClientCalls.blockingServerStreamingCall(target, raw, options, requests.get(0));
                    answers.forEachRemaining(answer -> {});
                }
                case CLIENT_STREAMING -> {
                    CompletableFuture<Object> done = new CompletableFuture<>();
                    StreamObserver<Object> answers = new StreamObserver<>() {
                        @Override
                        public void onNext(Object value) {}

                        @Override
                        public void onError(Throwable failure) {
                            done.completeExceptionally(failure);
                        }

                        @Override
                        public void onCompleted() {
                            done.complete(null);
                        }
                    };
                    StreamObserver<Object> sender = ClientCalls.asyncClientStreamingCall(
                            target.newCall(raw, options), (StreamObserver) answers);
                    requests.forEach(sender::onNext);
                    sender.onCompleted();
                    try {
                        done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw e.getCause();
                    }
                }
                default -> throw new IllegalArgumentException("no test call for " + method.getType());
            }
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        } catch (Throwable e) {
            return Status.fromThrowable(e).getCode();
        }
    }
}
