package org.modelmarket.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.grpc.v1.ArtifactsGrpc;
import org.modelmarket.gateway.grpc.v1.BatchMeterUsageRequest;
import org.modelmarket.gateway.grpc.v1.BillingGrpc;
import org.modelmarket.gateway.grpc.v1.CatalogGrpc;
import org.modelmarket.gateway.grpc.v1.CreateListingRequest;
import org.modelmarket.gateway.grpc.v1.CreateVersionRequest;
import org.modelmarket.gateway.grpc.v1.DownloadFileRequest;
import org.modelmarket.gateway.grpc.v1.FacetedSearchRequest;
import org.modelmarket.gateway.grpc.v1.GetEntitlementsRequest;
import org.modelmarket.gateway.grpc.v1.GetListingRequest;
import org.modelmarket.gateway.grpc.v1.ListListingsRequest;
import org.modelmarket.gateway.grpc.v1.ListVersionsRequest;
import org.modelmarket.gateway.grpc.v1.ListingSpec;
import org.modelmarket.gateway.grpc.v1.MarketplaceGrpc;
import org.modelmarket.gateway.grpc.v1.MeterUsageRequest;
import org.modelmarket.gateway.grpc.v1.SearchGrpc;
import org.modelmarket.gateway.grpc.v1.SearchRequest;
import org.modelmarket.gateway.grpc.v1.SubscribeRequest;
import org.modelmarket.gateway.grpc.v1.SuggestRequest;
import org.modelmarket.gateway.grpc.v1.UpdateListingRequest;
import org.modelmarket.gateway.grpc.v1.UploadChunk;
import org.modelmarket.gateway.grpc.v1.UploadHeader;
import org.modelmarket.gateway.grpc.v1.UsageRecord;
import org.modelmarket.gateway.grpc.v1.VersionRef;
import org.modelmarket.gateway.route.Route;
import org.modelmarket.gateway.route.RouteTable;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.GrpcCalls;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.gateway.token.ApiTokens;
import org.modelmarket.stack.test.TestTokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;

import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Issue 10's authorization matrix: every public REST route (each pass-through route of {@link RouteTable}, each own
 * resource in the gateway's OpenAPI document, the Hub's Vert.x routes) and every gRPC method, times every kind of
 * caller: anonymous, buyer, the listing's owning vendor, another vendor, admin, and an API token with each scope.
 * Each cell's expected outcome is written in the tables below and checked against the gateway in front of scripted
 * services ({@link DownstreamStub}).
 *
 * <p>Cells: {@code fwd} = the gateway lets the call through to the owning service (exactly one call, with the caller's
 * own token, or for an API token the JWT the gateway mints for its owner, never the secret) and passes the service's
 * answer back: roles, membership, ownership and entitlement are then the service's to decide, and each service has
 * its own matrix. A number is the status the caller gets; where it is a 4xx decided at the edge no service was
 * asked, and the body is problem+json on {@code /api/v1} and the Hub's {@code {"error"}} on the Hub routes. gRPC
 * cells are {@code OK} or a status code name. A route or method without a row fails the test, so a new one cannot go
 * unchecked.
 */
@QuarkusTest
class AuthorizationMatrixTest {

    /** The columns of the tables, in order. */
    enum Caller {
        ANONYMOUS,
        BUYER,
        OWNER,
        OTHER_VENDOR,
        ADMIN,
        TOKEN_READ,
        TOKEN_DOWNLOAD,
        TOKEN_PUBLISH,
        TOKEN_METER,
        TOKEN_ADMIN;

        boolean apiToken() {
            return name().startsWith("TOKEN_");
        }
    }

    // @formatter:off
    /**
     * Pass-through routes (every one of {@link RouteTable#ROUTES}) and the gateway's own routes. Columns: anonymous,
     * buyer, owning vendor, other vendor, admin, then API tokens with the scope read, download, publish, meter, admin.
     */
    private static final String REST = """
            # method template                                               anon buyer owner other admin  read  dl  pub meter adm
            POST   /api/v1/vendors                                           401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /api/v1/vendors                                           401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/vendors/{namespace}                               fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            PUT    /api/v1/vendors/{namespace}                               401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PUT    /api/v1/vendors/{namespace}/verification                  401  fwd  fwd  fwd  fwd     403  403  403 403  fwd
            PUT    /api/v1/vendors/{namespace}/members/{subject}             401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            DELETE /api/v1/vendors/{namespace}/members/{subject}             401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /api/v1/vendors/{namespace}/listings                      fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/taxonomy                                          fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/listings                                          fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            POST   /api/v1/listings                                          401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /api/v1/listings/by-id/{listingId}                        fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/listings/{namespace}/{name}                       fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            PUT    /api/v1/listings/{namespace}/{name}                       401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            POST   /api/v1/listings/{namespace}/{name}/submit                401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            POST   /api/v1/listings/{namespace}/{name}/withdraw              401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            POST   /api/v1/listings/{namespace}/{name}/approve               401  fwd  fwd  fwd  fwd     403  403  403 403  fwd
            POST   /api/v1/listings/{namespace}/{name}/reject                401  fwd  fwd  fwd  fwd     403  403  403 403  fwd
            POST   /api/v1/listings/{namespace}/{name}/deprecate             401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            POST   /api/v1/listings/{namespace}/{name}/archive               401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /api/v1/listings/{namespace}/{name}/history               fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            POST   /api/v1/listings/{namespace}/{name}/terms/acceptance      401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            POST   /api/v1/listings/{namespace}/{name}/gate/acceptance       401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /api/v1/listings/{namespace}/{name}/gate/acceptance       401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/listings/{namespace}/{name}/gate/acceptances      401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/listings/{namespace}/{name}/versions              fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            POST   /api/v1/listings/{namespace}/{name}/versions              401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /api/v1/listings/{namespace}/{name}/versions/{version}    fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            PUT    /api/v1/listings/{namespace}/{name}/versions/{version}    401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            POST   /api/v1/listings/{namespace}/{name}/versions/{version}/publish 401 fwd fwd fwd fwd    403  403  fwd 403  fwd
            GET    /api/v1/listings/{namespace}/{name}/likes                 fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            PUT    /api/v1/listings/{namespace}/{name}/likes/me              401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            DELETE /api/v1/listings/{namespace}/{name}/likes/me              401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /api/v1/listings/{namespace}/{name}/reviews               fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            PUT    /api/v1/listings/{namespace}/{name}/reviews/me            401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PUT    /api/v1/listings/{namespace}/{name}/reviews/{reviewId}/reply 401 fwd fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /api/v1/search                                            fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/search/suggest                                    fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/search/similar/{namespace}/{name}                 fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            POST   /api/v1/search/admin/rebuild                              401  fwd  fwd  fwd  fwd     403  403  403 403  fwd
            GET    /api/v1/search/admin/rebuild                              401  fwd  fwd  fwd  fwd     403  403  403 403  fwd
            GET    /api/v1/listings/{namespace}/{name}/files                 fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/listings/{namespace}/{name}/files/{path}          fwd  fwd  fwd  fwd  fwd     403  fwd  403 403  403
            PUT    /api/v1/listings/{namespace}/{name}/files/{path}          401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            DELETE /api/v1/listings/{namespace}/{name}/files/{path}          401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /api/v1/listings/{namespace}/{name}/tree/{rest}           fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/listings/{namespace}/{name}/commits               fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            POST   /api/v1/listings/{namespace}/{name}/commits               401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /api/v1/listings/{namespace}/{name}/commits/{rest}        fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/listings/{namespace}/{name}/paths-info/{rest}     fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/listings/{namespace}/{name}/file-access           fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/listings/{namespace}/{name}/access                fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            PUT    /api/v1/listings/{namespace}/{name}/file-access           401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            DELETE /api/v1/listings/{namespace}/{name}/file-access           401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            POST   /api/v1/listings/{namespace}/{name}/uploads               401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /api/v1/listings/{namespace}/{name}/uploads/{rest}        401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            PUT    /api/v1/listings/{namespace}/{name}/uploads/{rest}        401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            POST   /api/v1/listings/{namespace}/{name}/uploads/{rest}        401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            DELETE /api/v1/listings/{namespace}/{name}/uploads/{rest}        401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /api/v1/signed/{rest}                                     fwd  fwd  fwd  fwd  fwd     403  fwd  403 403  403
            GET    /api/v1/entitlements                                      401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/entitlements/{namespace}/{name}                   401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/entitlements/{rest}                               401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            POST   /api/v1/entitlements/{rest}                               401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /api/v1/listings/{namespace}/{name}/pricing               fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/listings/{namespace}/{name}/pricing/{rest}        fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            PUT    /api/v1/listings/{namespace}/{name}/pricing               401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            POST   /api/v1/listings/{namespace}/{name}/pricing               401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            POST   /api/v1/listings/{namespace}/{name}/pricing/{rest}        401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PUT    /api/v1/listings/{namespace}/{name}/pricing/{rest}        401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            DELETE /api/v1/listings/{namespace}/{name}/pricing/{rest}        401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /.well-known/modelmarket-receipt-keys                     fwd  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            # Billing families, every method, by prefix (metering writes need the meter scope)
            GET    /api/v1/offers                                            401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/offers/{rest}                                     401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            POST   /api/v1/offers                                            401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            POST   /api/v1/offers/{rest}                                     401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PUT    /api/v1/offers                                            401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PUT    /api/v1/offers/{rest}                                     401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PATCH  /api/v1/offers                                            401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PATCH  /api/v1/offers/{rest}                                     401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            DELETE /api/v1/offers                                            401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            DELETE /api/v1/offers/{rest}                                     401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /api/v1/subscriptions                                     401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/subscriptions/{rest}                              401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            POST   /api/v1/subscriptions                                     401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            POST   /api/v1/subscriptions/{rest}                              401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PUT    /api/v1/subscriptions                                     401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PUT    /api/v1/subscriptions/{rest}                              401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PATCH  /api/v1/subscriptions                                     401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PATCH  /api/v1/subscriptions/{rest}                              401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            DELETE /api/v1/subscriptions                                     401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            DELETE /api/v1/subscriptions/{rest}                              401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /api/v1/metering                                          401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/metering/{rest}                                   401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            POST   /api/v1/metering                                          401  fwd  fwd  fwd  fwd     403  403  403 fwd  403
            POST   /api/v1/metering/{rest}                                   401  fwd  fwd  fwd  fwd     403  403  403 fwd  403
            PUT    /api/v1/metering                                          401  fwd  fwd  fwd  fwd     403  403  403 fwd  403
            PUT    /api/v1/metering/{rest}                                   401  fwd  fwd  fwd  fwd     403  403  403 fwd  403
            PATCH  /api/v1/metering                                          401  fwd  fwd  fwd  fwd     403  403  403 fwd  403
            PATCH  /api/v1/metering/{rest}                                   401  fwd  fwd  fwd  fwd     403  403  403 fwd  403
            DELETE /api/v1/metering                                          401  fwd  fwd  fwd  fwd     403  403  403 fwd  403
            DELETE /api/v1/metering/{rest}                                   401  fwd  fwd  fwd  fwd     403  403  403 fwd  403
            GET    /api/v1/receipts                                          401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/receipts/{rest}                                   401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            POST   /api/v1/receipts                                          401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            POST   /api/v1/receipts/{rest}                                   401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PUT    /api/v1/receipts                                          401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PUT    /api/v1/receipts/{rest}                                   401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PATCH  /api/v1/receipts                                          401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PATCH  /api/v1/receipts/{rest}                                   401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            DELETE /api/v1/receipts                                          401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            DELETE /api/v1/receipts/{rest}                                   401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /api/v1/invoices                                          401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/invoices/{rest}                                   401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            POST   /api/v1/invoices                                          401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            POST   /api/v1/invoices/{rest}                                   401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PUT    /api/v1/invoices                                          401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PUT    /api/v1/invoices/{rest}                                   401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PATCH  /api/v1/invoices                                          401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PATCH  /api/v1/invoices/{rest}                                   401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            DELETE /api/v1/invoices                                          401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            DELETE /api/v1/invoices/{rest}                                   401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            GET    /api/v1/statements                                        401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            GET    /api/v1/statements/{rest}                                 401  fwd  fwd  fwd  fwd     fwd  fwd  fwd fwd  fwd
            POST   /api/v1/statements                                        401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            POST   /api/v1/statements/{rest}                                 401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PUT    /api/v1/statements                                        401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PUT    /api/v1/statements/{rest}                                 401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PATCH  /api/v1/statements                                        401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            PATCH  /api/v1/statements/{rest}                                 401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            DELETE /api/v1/statements                                        401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            DELETE /api/v1/statements/{rest}                                 401  fwd  fwd  fwd  fwd     403  403  fwd 403  fwd
            # The gateway's own resources: API tokens are managed with a Keycloak token only
            POST   /api/v1/tokens                                            401  201  201  201  201     403  403  403 403  403
            GET    /api/v1/tokens                                            401  200  200  200  200     403  403  403 403  403
            GET    /api/v1/tokens/{id}                                       401  404  404  404  404     403  403  403 403  403
            DELETE /api/v1/tokens/{id}                                       401  404  404  404  404     403  403  403 403  403
            GET    /api/v1/listings/{ns}/{name}/page                         200  200  200  200  200     200  200  200 200  200
            GET    /api/v1/openapi                                           200  200  200  200  200     200  200  200 200  200
            # Hugging Face Hub API (errors in the Hub's shape); the lockfile is the Hub's too
            GET    /api/v1/listings/{ns}/{name}/lock                         200  200  200  200  200     200  200  200 200  200
            GET    /api/models                                               200  200  200  200  200     200  200  200 200  200
            GET    /api/models/{name}                                        401  404  404  404  404     404  404  404 404  404
            GET    /api/models/{ns}/{name}                                   200  200  200  200  200     200  200  200 200  200
            GET    /api/models/{ns}/{name}/revision/{revision}               200  200  200  200  200     200  200  200 200  200
            GET    /api/models/{ns}/{name}/tree/{revision}                   200  200  200  200  200     200  200  200 200  200
            GET    /api/models/{ns}/{name}/tree/{revision}/{path}            200  200  200  200  200     200  200  200 200  200
            POST   /api/models/{ns}/{name}/paths-info/{revision}             200  200  200  200  200     200  200  200 200  200
            GET    /api/models/{ns}/{name}/refs                              200  200  200  200  200     200  200  200 200  200
            # auth-check answers whether a download would pass, so API tokens need the download scope as there
            GET    /api/models/{ns}/{name}/auth-check                        200  200  200  200  200     403  200  403 403  403
            GET    /api/whoami-v2                                            401  200  200  200  200     200  200  200 200  200
            GET    /{ns}/{name}/resolve/{revision}/{path}                    200  200  200  200  200     403  200  403 403  403
            GET    /{ns}/{name}/raw/{revision}/{path}                        200  200  200  200  200     403  200  403 403  403
            POST   /api/repos/create                                         401  200  200  200  200     403  403  200 403  200
            POST   /api/validate-yaml                                        401  200  200  200  200     403  403  200 403  200
            POST   /api/models/{ns}/{name}/preupload/{revision}              401  403  200  403  200     403  403  200 403  200
            # The commit (header only, no operation) is refused as bad input before the write right is checked, so a
            # caller without the right gets 400 here, not 403 (hub/write/CommitResource; reported, not changed here).
            POST   /api/models/{ns}/{name}/commit/{revision}                 401  400  400  400  400     403  403  400 403  400
            POST   /api/models/{ns}/{name}/tag/{revision}                    401  403  200  403  200     403  403  200 403  200
            POST   /{ns}/{repo}/info/lfs/objects/batch                       401  403  200  403  200     403  403  200 403  200
            PUT    /{ns}/{repo}/info/lfs/objects/{token}                     403  403  403  403  403     403  403  403 403  403
            PUT    /{ns}/{repo}/info/lfs/objects/{token}/part/{number}       403  403  403  403  403     403  403  403 403  403
            POST   /{ns}/{repo}/info/lfs/objects/{token}                     403  403  403  403  403     403  403  403 403  403
            POST   /{ns}/{repo}/info/lfs/objects/{token}/verify              401  403  403  403  403     403  403  403 403  403
            """;

    /** Every gRPC method of marketplace.v1; same columns. */
    private static final String GRPC = """
            # method                                    anon             buyer             owner  other             admin              read              dl                pub               meter             adm
            marketplace.v1.Marketplace/Search           OK               OK                OK     OK                OK                 OK                OK                OK                OK                OK
            marketplace.v1.Marketplace/GetListing       OK               OK                OK     OK                OK                 OK                OK                OK                OK                OK
            marketplace.v1.Marketplace/CreateListing    UNAUTHENTICATED  OK                OK     OK                OK                 PERMISSION_DENIED PERMISSION_DENIED OK                PERMISSION_DENIED OK
            marketplace.v1.Marketplace/DownloadFile     OK               OK                OK     OK                OK                 PERMISSION_DENIED OK                PERMISSION_DENIED PERMISSION_DENIED PERMISSION_DENIED
            marketplace.v1.Catalog/GetListing           OK               OK                OK     OK                OK                 OK                OK                OK                OK                OK
            marketplace.v1.Catalog/ListListings         OK               OK                OK     OK                OK                 OK                OK                OK                OK                OK
            marketplace.v1.Catalog/CreateListing        UNAUTHENTICATED  OK                OK     OK                OK                 PERMISSION_DENIED PERMISSION_DENIED OK                PERMISSION_DENIED OK
            marketplace.v1.Catalog/UpdateListing        UNAUTHENTICATED  OK                OK     OK                OK                 PERMISSION_DENIED PERMISSION_DENIED OK                PERMISSION_DENIED OK
            marketplace.v1.Catalog/ListVersions         OK               OK                OK     OK                OK                 OK                OK                OK                OK                OK
            marketplace.v1.Catalog/CreateVersion        UNAUTHENTICATED  OK                OK     OK                OK                 PERMISSION_DENIED PERMISSION_DENIED OK                PERMISSION_DENIED OK
            marketplace.v1.Catalog/PublishVersion       UNAUTHENTICATED  OK                OK     OK                OK                 PERMISSION_DENIED PERMISSION_DENIED OK                PERMISSION_DENIED OK
            marketplace.v1.Search/Search                OK               OK                OK     OK                OK                 OK                OK                OK                OK                OK
            marketplace.v1.Search/Suggest               OK               OK                OK     OK                OK                 OK                OK                OK                OK                OK
            marketplace.v1.Billing/Subscribe            UNAUTHENTICATED  OK                OK     OK                OK                 PERMISSION_DENIED PERMISSION_DENIED OK                PERMISSION_DENIED OK
            marketplace.v1.Billing/GetEntitlements      UNAUTHENTICATED  OK                OK     OK                OK                 OK                OK                OK                OK                OK
            marketplace.v1.Billing/MeterUsage           UNAUTHENTICATED  OK                OK     OK                OK                 PERMISSION_DENIED PERMISSION_DENIED PERMISSION_DENIED OK                PERMISSION_DENIED
            marketplace.v1.Billing/BatchMeterUsage      UNAUTHENTICATED  OK                OK     OK                OK                 PERMISSION_DENIED PERMISSION_DENIED PERMISSION_DENIED OK                PERMISSION_DENIED
            marketplace.v1.Artifacts/Download           OK               OK                OK     OK                OK                 PERMISSION_DENIED OK                PERMISSION_DENIED PERMISSION_DENIED PERMISSION_DENIED
            marketplace.v1.Artifacts/Upload             UNAUTHENTICATED  OK                OK     OK                OK                 PERMISSION_DENIED PERMISSION_DENIED OK                PERMISSION_DENIED OK
            """;
    // @formatter:on

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final byte[] CONFIG = "{\"model_type\":\"bert\"}".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z]+)}");

    /** The value each path variable takes in the requests (listing acme/resnet-50, owned by the owning vendor). */
    private static final Map<String, String> VALUES = Map.ofEntries(
            Map.entry("namespace", "acme"),
            Map.entry("ns", "acme"),
            Map.entry("name", "resnet-50"),
            Map.entry("repo", "resnet-50.git"),
            Map.entry("listingId", "6f1c2d9e-4b7a-4c1e-9a35-2f0e8d1b7c40"),
            Map.entry("version", "1.0.0"),
            Map.entry("subject", "bob"),
            Map.entry("reviewId", "7"),
            Map.entry("path", "config.json"),
            Map.entry("rest", "main"),
            Map.entry("revision", "main"),
            Map.entry("id", "3b4c3f1e-0000-4000-8000-000000000009"),
            Map.entry("token", "forged-upload-url"),
            Map.entry("number", "1"));

    /** Request bodies of the own routes that need one (JSON unless noted); other writes send {@code {}}. */
    private static final Map<String, String> BODIES = Map.of(
            "POST /api/v1/tokens", "{\"name\":\"matrix\",\"scopes\":[\"read\"]}",
            "POST /api/repos/create", "{\"name\":\"resnet-50\",\"organization\":\"acme\"}",
            "POST /api/validate-yaml", "{\"content\":\"---\\nlicense: mit\\n---\\n# Card\\n\"}",
            "POST /api/models/{ns}/{name}/preupload/{revision}",
                    "{\"files\":[{\"path\":\"config.json\",\"size\":21,\"sample\":\"e30=\"}]}",
            "POST /api/models/{ns}/{name}/commit/{revision}", "{\"key\":\"header\",\"value\":{\"summary\":\"m\"}}",
            "POST /api/models/{ns}/{name}/tag/{revision}", "{\"tag\":\"v1.0.0\"}",
            "POST /api/models/{ns}/{name}/paths-info/{revision}", "{\"paths\":[\"config.json\"]}",
            "POST /{ns}/{repo}/info/lfs/objects/batch",
                    "{\"operation\":\"upload\",\"transfers\":[\"basic\"],\"hash_algo\":\"sha256\",\"objects\":[{\"oid\":\""
                            + "a".repeat(64) + "\",\"size\":12}]}");

    @Inject
    DownstreamStub stub;

    @GrpcClient("marketplace")
    Channel channel;

    private final Map<Caller, String> authorization = new LinkedHashMap<>();
    private final Map<Caller, String> subjects = new LinkedHashMap<>();

    /**
     * Fresh subjects per test (each caller's rate-limit bucket is its own): the owning vendor is among the listing's
     * owners, the other vendor is a member of another namespace, and each API token belongs to an owner who has every
     * role (vendor of the listing, admin), so that only its scope limits it.
     */
    @BeforeEach
    void callers() {
        stub.reset();
        String run = UUID.randomUUID().toString().substring(0, 8);
        subjects.put(Caller.BUYER, "buyer-" + run);
        subjects.put(Caller.OWNER, "owner-" + run);
        subjects.put(Caller.OTHER_VENDOR, "vendor-" + run);
        subjects.put(Caller.ADMIN, "admin-" + run);
        authorization.put(Caller.BUYER, TestTokens.bearer(subjects.get(Caller.BUYER), "buyer"));
        authorization.put(
                Caller.OWNER, TestTokens.bearerOf(subjects.get(Caller.OWNER), List.of("acme"), "buyer", "vendor"));
        authorization.put(
                Caller.OTHER_VENDOR,
                TestTokens.bearerOf(subjects.get(Caller.OTHER_VENDOR), List.of("umbrella"), "buyer", "vendor"));
        authorization.put(Caller.ADMIN, TestTokens.bearer(subjects.get(Caller.ADMIN), "admin"));
        for (Caller caller : Caller.values()) {
            if (caller.apiToken()) {
                String scope = caller.name().substring("TOKEN_".length()).toLowerCase();
                String owner = "tok-" + scope + "-" + run;
                String ownerBearer = TestTokens.bearerOf(owner, List.of("acme"), "buyer", "vendor", "admin");
                subjects.put(caller, owner);
                authorization.put(
                        caller,
                        "Bearer "
                                + ApiTokens.create(
                                        ownerBearer, "{\"name\":\"matrix\",\"scopes\":[\"" + scope + "\"]}"));
            }
        }
    }

    // ---- REST ----

    @Test
    void everyRestRouteTimesEveryCaller() {
        Map<String, List<String>> table = table(REST);
        Set<String> required = new LinkedHashSet<>();
        RouteTable.ROUTES.forEach(route -> required.add(route.method() + " " + route.template()));
        required.addAll(ownOperations());
        assertThat(table.keySet())
                .as("every pass-through route and every own operation has a row")
                .containsAll(required);

        List<String> wrong = new ArrayList<>();
        for (var row : table.entrySet()) {
            String method = row.getKey().substring(0, row.getKey().indexOf(' '));
            String template = row.getKey().substring(row.getKey().indexOf(' ') + 1);
            String path = instantiate(template);
            Route route =
                    RouteTable.lookup(method, path) instanceof RouteTable.Lookup.Found found ? found.route() : null;
            if (route != null) {
                assertThat(route.template())
                        .as(row.getKey() + " is its own route")
                        .isEqualTo(template);
            }
            for (Caller caller : Caller.values()) {
                String expected = row.getValue().get(caller.ordinal());
                String failure = restCell(row.getKey(), method, path, route, caller, expected);
                if (failure != null) {
                    wrong.add(row.getKey() + " as " + caller + ": expected " + expected + ", " + failure);
                }
            }
        }
        assertThat(wrong).as("cells that differ from the table").isEmpty();
    }

    /** One cell: null when the gateway behaved as the table says, else what it did. */
    private String restCell(String key, String method, String path, Route route, Caller caller, String expected) {
        stub.reset();
        world();
        Answer response = send(method, path, authorization.get(caller), BODIES.getOrDefault(key, "{}"));
        int status = response.statusCode();
        int calls = totalCalls();
        if (expected.equals("fwd")) {
            assertThat(route).as(key + ": only pass-through routes forward").isNotNull();
            List<DownstreamStub.Recorded> sent = stub.calls(route.service()).stream()
                    .filter(call ->
                            call.method().equals(method) && pathOf(call.uri()).equals(path))
                    .toList();
            if (sent.size() != 1 || calls != 1) {
                return "got " + status + " after " + calls + " service calls (" + abbreviate(response.asString()) + ")";
            }
            if (status < 200 || status > 299) {
                return "the service's answer came back as " + status;
            }
            return forwardedAs(caller, sent.get(0).header("Authorization"));
        }
        int code = Integer.parseInt(expected);
        if (status != code) {
            return "got " + status + " " + abbreviate(response.asString());
        }
        if (code >= 400) {
            if ((code == 401 || code == 403) && route != null && calls > 0) {
                return "refused, but the service was asked anyway";
            }
            return errorShape(path, response);
        }
        return null;
    }

    /** Whether the service got the caller's own credential (never an API token's secret). */
    private String forwardedAs(Caller caller, String forwarded) {
        if (caller == Caller.ANONYMOUS) {
            return forwarded == null ? null : "an anonymous call was forwarded with " + forwarded;
        }
        if (!caller.apiToken()) {
            return authorization.get(caller).equals(forwarded) ? null : "forwarded with " + forwarded;
        }
        if (forwarded == null || forwarded.contains("hf_") || !forwarded.startsWith("Bearer ey")) {
            return "an API token was forwarded as " + forwarded;
        }
        try {
            JsonNode claims =
                    JSON.readTree(Base64.getUrlDecoder().decode(forwarded.split("\\.")[1]));
            String sub = claims.path("sub").asText();
            return sub.equals(subjects.get(caller)) ? null : "the forwarded JWT names " + sub;
        } catch (java.io.IOException e) {
            return "the forwarded JWT is unreadable: " + e;
        }
    }

    /** A refusal's body: problem+json under /api/v1 and /.well-known, the Hub's JSON error elsewhere. */
    private static String errorShape(String path, Answer response) {
        String type = response.contentType();
        if (path.startsWith("/api/v1/") || path.startsWith("/.well-known/")) {
            if (!type.startsWith("application/problem+json")) {
                return "answered " + type + " instead of problem+json: " + abbreviate(response.asString());
            }
            if (response.json().path("status").asInt() != response.statusCode()) {
                return "problem status " + response.json().path("status");
            }
            if (response.statusCode() == 401 && response.header("WWW-Authenticate") == null) {
                return "401 without WWW-Authenticate";
            }
            return null;
        }
        if (!type.startsWith("application/json") || !response.json().hasNonNull("error")) {
            return "answered " + type + " without the Hub's {error}: " + abbreviate(response.asString());
        }
        return null;
    }

    /** Every operation of the gateway's own OpenAPI document, as "METHOD /template". */
    private static Set<String> ownOperations() {
        JsonNode paths;
        try {
            paths = JSON.readTree(given().queryParam("format", "json")
                            .when()
                            .get("/q/openapi")
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString())
                    .path("paths");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        Set<String> operations = new LinkedHashSet<>();
        paths.properties()
                .forEach(path -> path.getValue().properties().forEach(operation -> {
                    String method = operation.getKey().toUpperCase();
                    if (Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                        operations.add(method + " " + path.getKey());
                    }
                }));
        return operations;
    }

    // ---- gRPC ----

    @Test
    void everyGrpcMethodTimesEveryCaller() {
        Map<String, List<String>> table = table(GRPC);
        Map<String, MethodDescriptor<?, ?>> methods = grpcMethods();
        assertThat(table.keySet()).as("every RPC has a row").containsAll(methods.keySet());

        List<String> wrong = new ArrayList<>();
        for (var row : table.entrySet()) {
            for (Caller caller : Caller.values()) {
                stub.reset();
                world();
                String expected = row.getValue().get(caller.ordinal());
                Status.Code code = GrpcCalls.invoke(
                        channel, methods.get(row.getKey()), requests(row.getKey()), authorization.get(caller));
                if (!code.name().equals(expected)) {
                    wrong.add(row.getKey() + " as " + caller + ": expected " + expected + ", got " + code);
                } else if (!"OK".equals(expected) && totalCalls() > 0) {
                    wrong.add(row.getKey() + " as " + caller + ": refused, but a service was asked anyway");
                }
            }
        }
        assertThat(wrong).as("cells that differ from the table").isEmpty();
    }

    /** Every method of the five marketplace.v1 services, by full name. */
    private static Map<String, MethodDescriptor<?, ?>> grpcMethods() {
        Map<String, MethodDescriptor<?, ?>> methods = new LinkedHashMap<>();
        for (ServiceDescriptor service : List.of(
                MarketplaceGrpc.getServiceDescriptor(),
                CatalogGrpc.getServiceDescriptor(),
                SearchGrpc.getServiceDescriptor(),
                BillingGrpc.getServiceDescriptor(),
                ArtifactsGrpc.getServiceDescriptor())) {
            service.getMethods().forEach(method -> methods.put(method.getFullMethodName(), method));
        }
        return methods;
    }

    /** A valid request of each method (a client stream: its messages in order). */
    static List<Message> requests(String method) {
        GetListingRequest listing = GetListingRequest.newBuilder()
                .setNamespace("acme")
                .setName("resnet-50")
                .build();
        DownloadFileRequest download = DownloadFileRequest.newBuilder()
                .setNamespace("acme")
                .setName("resnet-50")
                .setPath("config.json")
                .build();
        ListingSpec spec = ListingSpec.newBuilder()
                .setNamespace("acme")
                .setName("resnet-50")
                .setTitle("ResNet-50")
                .setModality("image")
                .setLicense("apache-2.0")
                .setPriceType("free")
                .build();
        UsageRecord record = UsageRecord.newBuilder()
                .setCustomerIdentifier("bob")
                .setDimension("gpu_hours")
                .setQuantity(1)
                .setTimestamp(Timestamp.newBuilder().setSeconds(1_795_000_000L))
                .build();
        return switch (method) {
            case "marketplace.v1.Marketplace/Search" ->
                List.of(SearchRequest.newBuilder().setQuery("resnet").build());
            case "marketplace.v1.Marketplace/GetListing", "marketplace.v1.Catalog/GetListing" -> List.of(listing);
            case "marketplace.v1.Marketplace/CreateListing" ->
                List.of(CreateListingRequest.newBuilder()
                        .setNamespace("acme")
                        .setName("resnet-50")
                        .setTitle("ResNet-50")
                        .setModality("image")
                        .setTask("image-classification")
                        .setLicense("apache-2.0")
                        .setPriceType("free")
                        .build());
            case "marketplace.v1.Marketplace/DownloadFile", "marketplace.v1.Artifacts/Download" -> List.of(download);
            case "marketplace.v1.Catalog/ListListings" ->
                List.of(ListListingsRequest.newBuilder().setNamespace("acme").build());
            case "marketplace.v1.Catalog/CreateListing" -> List.of(spec);
            case "marketplace.v1.Catalog/UpdateListing" ->
                List.of(UpdateListingRequest.newBuilder()
                        .setNamespace("acme")
                        .setName("resnet-50")
                        .setListing(spec)
                        .setExpectedVersion(1)
                        .build());
            case "marketplace.v1.Catalog/ListVersions" ->
                List.of(ListVersionsRequest.newBuilder()
                        .setNamespace("acme")
                        .setName("resnet-50")
                        .build());
            case "marketplace.v1.Catalog/CreateVersion" ->
                List.of(CreateVersionRequest.newBuilder()
                        .setNamespace("acme")
                        .setName("resnet-50")
                        .setVersion("1.0.0")
                        .setCommit(COMMIT)
                        .build());
            case "marketplace.v1.Catalog/PublishVersion" ->
                List.of(VersionRef.newBuilder()
                        .setNamespace("acme")
                        .setName("resnet-50")
                        .setVersion("1.0.0")
                        .build());
            case "marketplace.v1.Search/Search" ->
                List.of(FacetedSearchRequest.newBuilder().setQuery("resnet").build());
            case "marketplace.v1.Search/Suggest" ->
                List.of(SuggestRequest.newBuilder().setQuery("res").build());
            case "marketplace.v1.Billing/Subscribe" ->
                List.of(SubscribeRequest.newBuilder()
                        .setListing("acme/resnet-50")
                        .setPlan("pro")
                        .setTermsVersion("1")
                        .build());
            case "marketplace.v1.Billing/GetEntitlements" ->
                List.of(GetEntitlementsRequest.newBuilder()
                        .setListing("acme/resnet-50")
                        .build());
            case "marketplace.v1.Billing/MeterUsage" ->
                List.of(MeterUsageRequest.newBuilder()
                        .setListing("acme/resnet-50")
                        .setUsageRecord(record)
                        .build());
            case "marketplace.v1.Billing/BatchMeterUsage" ->
                List.of(BatchMeterUsageRequest.newBuilder()
                        .setListing("acme/resnet-50")
                        .addUsageRecords(record)
                        .build());
            case "marketplace.v1.Artifacts/Upload" ->
                List.of(
                        UploadChunk.newBuilder()
                                .setHeader(UploadHeader.newBuilder()
                                        .setNamespace("acme")
                                        .setName("resnet-50")
                                        .setPath("config.json"))
                                .build(),
                        UploadChunk.newBuilder()
                                .setData(ByteString.copyFrom(CONFIG))
                                .build());
            default -> throw new AssertionError("no request written for " + method);
        };
    }

    // ---- bad input ----

    /**
     * Bad input on the gateway's own routes (the owning vendor calling, so that authorization is not what fails):
     * method, path (as sent, already encoded), body, expected status and error shape ({@code problem}: problem+json,
     * {@code hub}: the Hub's {@code {"error"}}), never a 5xx: each surface its own shape (the lockfile is under
     * {@code /api/v1}).
     */
    private static final String BAD_INPUT = """
            POST   /api/v1/tokens                                   {                                      400 problem
            POST   /api/v1/tokens                                   {"name":"","scopes":[]}                400 problem
            POST   /api/v1/tokens                                   {"name":"x","scopes":["root"]}         400 problem
            POST   /api/v1/tokens                                   []                                     400 problem
            GET    /api/v1/tokens/not-a-uuid                        -                                      404 problem
            DELETE /api/v1/tokens/not-a-uuid                        -                                      404 problem
            GET    /api/v1/listings/acme/resnet-50/lock?format=yaml -                                      400 problem
            GET    /api/models?limit=abc                            -                                      400 hub
            POST   /api/models/acme/resnet-50/paths-info/main       {                                      400 hub
            POST   /api/repos/create                                {                                      400 hub
            POST   /api/repos/create                                {"name":"x","type":"dataset"}          400 hub
            POST   /api/validate-yaml                               {                                      400 hub
            POST   /api/models/acme/resnet-50/preupload/main        {                                      400 hub
            POST   /api/models/acme/resnet-50/commit/main           garbage                                400 hub
            POST   /api/models/acme/resnet-50/commit/main?create_pr=1 garbage                              400 hub
            POST   /api/models/acme/resnet-50/tag/main              {"tag":"not-semver"}                   400 hub
            POST   /acme/resnet-50.git/info/lfs/objects/batch       {                                      400 hub
            """;

    @Test
    void badInputOnEveryRouteIsA4xxProblemNeverA5xx() {
        List<String> wrong = new ArrayList<>();
        String bearer = authorization.get(Caller.OWNER);
        String problem = """
                {"type":"https://modelmarket.org/problems/validation","title":"Bad request","status":400,\
                "detail":"size: must be between 1 and 100","instance":"/x","errors":[{"field":"size","message":"bad"}]}""";
        for (Route route : RouteTable.ROUTES) {
            String key = route.method() + " " + route.template();
            String path = instantiate(route.template());
            // A service's own 400 (bad body, bad query) comes back unchanged: status, type and body.
            stub.reset();
            for (String service : RouteTable.services()) {
                stub.json(service, 400, problem);
            }
            Answer answered = send(route.method(), path, bearer, "{\"bad\":");
            if (answered.statusCode() != 400
                    || !answered.contentType().startsWith("application/problem+json")
                    || !answered.asString().equals(problem)) {
                wrong.add(key + ": the service's 400 came back as " + answered.statusCode() + " "
                        + abbreviate(answered.asString()));
            }
            // A variable that would not stay one path segment downstream is refused at the edge.
            if (!route.variables().isEmpty()) {
                stub.reset();
                String variable = route.variables().get(0);
                String smuggled = route.template().replace("{" + variable + "}", "a%2F..%2Fb");
                Answer refused = send(route.method(), instantiate(smuggled), bearer, "{}");
                String shape = errorShape("/api/v1/", refused);
                if (refused.statusCode() != 404 || shape != null || totalCalls() > 0) {
                    wrong.add(key + " with an encoded slash in {" + variable + "}: " + refused.statusCode() + " "
                            + (shape == null ? "" : shape) + " after " + totalCalls() + " service calls");
                }
            }
            // A token that is not valid is a 401 problem on every route, anonymous ones included.
            stub.reset();
            Answer invalid = send(route.method(), path, TestTokens.expiredBearer("bob", "buyer"), "{}");
            String shape = errorShape(path, invalid);
            if (invalid.statusCode() != 401 || shape != null || totalCalls() > 0) {
                wrong.add(key + " with an expired token: " + invalid.statusCode() + " " + (shape == null ? "" : shape));
            }
        }
        for (String line : BAD_INPUT.strip().split("\n")) {
            String[] words = line.strip().split("\\s+");
            String method = words[0];
            String path = words[1];
            String body = String.join(" ", List.of(words).subList(2, words.length - 2));
            int expected = Integer.parseInt(words[words.length - 2]);
            boolean problemShape = words[words.length - 1].equals("problem");
            stub.reset();
            world();
            Answer answered = send(method, path, bearer, body.equals("-") ? null : body);
            String shape = errorShape(problemShape ? "/api/v1/" : "/hub", answered);
            if (answered.statusCode() != expected || shape != null) {
                wrong.add(method + " " + path + " " + body + ": expected " + expected + ", got " + answered.statusCode()
                        + " " + (shape == null ? abbreviate(answered.asString()) : shape));
            }
        }
        assertThat(wrong)
                .as("bad input answered otherwise than with a 4xx problem")
                .isEmpty();
    }

    /**
     * Bad input over gRPC: each method with an invalid message (the owning vendor calling), and with a valid one that
     * the service refuses with a 400 problem. Both are INVALID_ARGUMENT, never UNKNOWN, INTERNAL or UNAVAILABLE.
     */
    @Test
    void badInputOnEveryGrpcMethodIsInvalidArgument() {
        Map<String, MethodDescriptor<?, ?>> methods = grpcMethods();
        List<String> wrong = new ArrayList<>();
        for (var method : methods.entrySet()) {
            // Where the gateway forwards a message it does not validate itself, the service refuses it (400).
            stub.reset();
            for (String service : RouteTable.services()) {
                stub.json(service, 400, Listings.problem(400, "Bad request", "the service refused it"));
            }
            Status.Code invalid = GrpcCalls.invoke(
                    channel, method.getValue(), invalidRequests(method.getKey()), authorization.get(Caller.OWNER));
            if (invalid != Status.Code.INVALID_ARGUMENT) {
                wrong.add(method.getKey() + " with an invalid message: " + invalid);
            }
            Status.Code refused = GrpcCalls.invoke(
                    channel, method.getValue(), requests(method.getKey()), authorization.get(Caller.OWNER));
            if (refused != Status.Code.INVALID_ARGUMENT) {
                wrong.add(method.getKey() + " refused by its service with a 400: " + refused);
            }
        }
        assertThat(wrong)
                .as("bad input answered otherwise than INVALID_ARGUMENT")
                .isEmpty();
    }

    /** An invalid message of each method: a required field missing, or a value out of range. */
    static List<Message> invalidRequests(String method) {
        return switch (method) {
            case "marketplace.v1.Marketplace/Search" ->
                List.of(SearchRequest.newBuilder().setSize(101).build());
            case "marketplace.v1.Search/Search" ->
                List.of(FacetedSearchRequest.newBuilder().setSize(101).build());
            case "marketplace.v1.Search/Suggest" -> List.of(SuggestRequest.getDefaultInstance());
            case "marketplace.v1.Catalog/ListListings" ->
                List.of(ListListingsRequest.newBuilder().setPage(-1).build());
            case "marketplace.v1.Billing/GetEntitlements" ->
                List.of(GetEntitlementsRequest.newBuilder().setMaxResults(101).build());
            case "marketplace.v1.Artifacts/Upload" ->
                List.of(UploadChunk.newBuilder()
                        .setData(ByteString.copyFrom(CONFIG))
                        .build());
            default -> {
                Message valid = requests(method).get(0);
                yield List.of(valid.getDefaultInstanceForType());
            }
        };
    }

    /** An answer of the gateway, read whole. */
    record Answer(int statusCode, java.net.http.HttpHeaders headers, String asString) {

        String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(asString);
            } catch (java.io.IOException e) {
                return JSON.createObjectNode();
            }
        }
    }

    /** A plain HTTP/1.1 client: the path is sent exactly as written (encoded slashes included), no redirect followed. */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @TestHTTPResource("/")
    URI base;

    private Answer send(String method, String path, String bearer, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(base.toString().replaceAll("/$", "") + path))
                .timeout(java.time.Duration.ofSeconds(30));
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        boolean withBody = body != null && !"GET".equals(method) && !"DELETE".equals(method);
        if (path.contains("/info/lfs/")) {
            request.header("Content-Type", "application/vnd.git-lfs+json")
                    .header("Accept", "application/vnd.git-lfs+json");
        } else if (withBody) {
            request.header(
                    "Content-Type",
                    body.startsWith("{") || body.startsWith("[") ? "application/json" : "application/x-ndjson");
        }
        request.method(
                method, withBody ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers(), response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- the scripted services ----

    /**
     * The services as far as the matrix needs them: listing acme/resnet-50 (public, free, owned by the owning vendor
     * and the API tokens' owners) with one file at one commit; every other call answers 200 with an empty object,
     * which is what "forwarded" cells look for. A new listing is created at once, and artifact-service knows it
     * ({@code create_repo} does not wait).
     */
    private void world() {
        JsonArray owners = new JsonArray();
        subjects.forEach((caller, subject) -> {
            if (caller == Caller.OWNER || caller.apiToken()) {
                owners.add(subject);
            }
        });
        String listing = new JsonObject(Listings.RESNET).put("owners", owners).encode();
        stub.answer("catalog", (request, response) -> {
            String path = pathOf(request.uri());
            if (request.method().equals("GET") && path.equals("/api/v1/listings/acme/resnet-50")) {
                json(response, 200, listing);
            } else if (request.method().equals("POST") && path.equals("/api/v1/listings")) {
                json(response, 201, listing);
            } else if (request.method().equals("GET") && path.endsWith("/versions")) {
                json(response, 200, "{\"items\":[],\"page\":0,\"size\":10,\"total\":0}");
            } else if (path.endsWith("/versions") || path.endsWith("/publish")) {
                json(response, 200, "{\"version\":\"1.0.0\",\"commit\":\"" + COMMIT + "\",\"status\":\"published\"}");
            } else if (request.method().equals("GET") && path.equals("/api/v1/listings")) {
                json(response, 200, "{\"items\":[],\"page\":0,\"size\":20,\"total\":0}");
            } else {
                json(response, 200, path.startsWith("/api/v1/listings/acme/resnet-50") ? listing : "{}");
            }
        });
        stub.answer(
                "search",
                (request, response) ->
                        json(response, 200, "{\"total\":0,\"page\":0,\"size\":20,\"items\":[],\"facets\":{}}"));
        stub.answer("billing", (request, response) -> {
            if (pathOf(request.uri()).startsWith("/api/v1/metering")) {
                json(response, 200, "{\"results\":[{\"status\":\"Success\",\"meteringRecordId\":\"m1\"}]}");
            } else {
                json(response, 200, "{}");
            }
        });
        stub.answer("artifact", AuthorizationMatrixTest::artifact);
    }

    private static void artifact(DownstreamStub.Recorded request, HttpServerResponse response) {
        String path = pathOf(request.uri());
        String listing = "/api/v1/listings/acme/resnet-50/";
        JsonObject file = new JsonObject()
                .put("type", "file")
                .put("path", "config.json")
                .put("size", CONFIG.length)
                .put("sha256", org.modelmarket.gateway.testing.Bytes.sha256(CONFIG))
                .put("lastCommit", new JsonObject().put("id", COMMIT).put("date", "2026-11-21T10:00:00Z"));
        if (request.method().equals("GET") && path.startsWith(listing + "commits/")) {
            json(
                    response,
                    200,
                    new JsonObject().put("id", COMMIT).put("message", "m").encode());
        } else if (request.method().equals("GET") && path.startsWith(listing + "tree/")) {
            json(
                    response,
                    200,
                    new JsonObject()
                            .put("commit", COMMIT)
                            .put("entries", new JsonArray().add(file))
                            .encode());
        } else if (request.method().equals("GET") && path.startsWith(listing + "files/")) {
            response.putHeader("Content-Type", "application/octet-stream")
                    .putHeader("ETag", '"' + org.modelmarket.gateway.testing.Bytes.sha256(CONFIG) + '"')
                    .putHeader("X-Checksum-Sha256", org.modelmarket.gateway.testing.Bytes.sha256(CONFIG))
                    .putHeader("X-Repo-Commit", COMMIT)
                    .putHeader("Accept-Ranges", "bytes")
                    .end(io.vertx.core.buffer.Buffer.buffer(CONFIG));
        } else if (request.method().equals("POST") && path.equals(listing + "paths-info/main")) {
            json(
                    response,
                    200,
                    new JsonObject()
                            .put("commit", COMMIT)
                            .put("entries", new JsonArray().add(file))
                            .encode());
        } else if (request.method().equals("PUT") && path.startsWith(listing + "files/")) {
            json(
                    response,
                    201,
                    new JsonObject()
                            .put("path", "config.json")
                            .put("size", request.body().length())
                            .put(
                                    "sha256",
                                    org.modelmarket.gateway.testing.Bytes.sha256(
                                            request.body().getBytes()))
                            .put("commit", COMMIT)
                            .encode());
        } else {
            json(response, 200, "{}");
        }
    }

    private static void json(HttpServerResponse response, int status, String body) {
        response.setStatusCode(status)
                .putHeader("Content-Type", status >= 400 ? "application/problem+json" : "application/json")
                .end(body);
    }

    // ---- helpers ----

    private int totalCalls() {
        return List.of("catalog", "search", "artifact", "billing").stream()
                .mapToInt(service -> stub.calls(service).size())
                .sum();
    }

    private static String pathOf(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /** A table's rows by key (method and template, or gRPC method), each with one cell per {@link Caller}. */
    static Map<String, List<String>> table(String text) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : text.strip().split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> words = List.of(line.split("\\s+"));
            boolean rest = !words.get(0).contains("/");
            String key = rest ? words.get(0) + " " + words.get(1) : words.get(0);
            List<String> cells = words.subList(rest ? 2 : 1, words.size());
            assertThat(cells).as(key + " has a cell per caller").hasSize(Caller.values().length);
            assertThat(rows.put(key, cells)).as(key + " has one row").isNull();
        }
        return rows;
    }

    private static String instantiate(String template) {
        Matcher matcher = VARIABLE.matcher(template);
        StringBuilder path = new StringBuilder();
        while (matcher.find()) {
            String value = VALUES.get(matcher.group(1));
            assertThat(value).as("a value for {" + matcher.group(1) + "}").isNotNull();
            matcher.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        return matcher.appendTail(path).toString();
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
