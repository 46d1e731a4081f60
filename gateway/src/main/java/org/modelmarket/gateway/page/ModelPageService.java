package org.modelmarket.gateway.page;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.gateway.hub.client.HubCaller;
import org.modelmarket.gateway.hub.client.HubServices;
import org.modelmarket.gateway.problem.DownstreamProblemException;
import org.modelmarket.gateway.problem.DownstreamUnavailableException;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * Builds the model page: the listing, its versions, file tree, pricing and the caller's entitlement and terms, each
 * asked of its owning service at the same time with the caller's own token (the services decide what the caller may
 * see). The listing decides whether there is a page at all: its problem (not found, private) is the page's. Every
 * other part is optional: a service that is down, slow or failing leaves its part null with a warning, so the page
 * still renders.
 */
@ApplicationScoped
public class ModelPageService {

    private final HubServices services;
    private final CurrentIdentityAssociation identity;
    private final PageConfig config;

    ModelPageService(HubServices services, CurrentIdentityAssociation identity, PageConfig config) {
        this.services = services;
        this.identity = identity;
        this.config = config;
    }

    /** A part's value, or why it is missing. */
    private record Part<T>(T value, ModelPage.Warning warning) {

        static <T> Part<T> of(T value) {
            return new Part<>(value, null);
        }

        static <T> Part<T> missing(String part, String service, String detail) {
            return new Part<>(null, new ModelPage.Warning(part, service, detail));
        }
    }

    public Uni<ModelPage> page(String ns, String name) {
        // An invalid token fails here, before any service is asked, as the platform's 401 problem.
        return identity.getDeferredIdentity().map(HubCaller::of).flatMap(caller -> page(ns, name, caller));
    }

    private Uni<ModelPage> page(String ns, String name, HubCaller caller) {
        String listingPath = "/api/v1/listings/" + HubServices.segment(ns) + "/" + HubServices.segment(name);
        Uni<HubServices.Reply> listing =
                services.get("catalog", listingPath, caller).memoize().indefinitely();
        Uni<Part<JsonNode>> versions = json(
                "versions",
                "catalog",
                services.get("catalog", listingPath + "/versions?page=0&size=" + config.versions(), caller),
                false);
        Uni<Part<ModelPage.Files>> files =
                files(services.get("artifact", listingPath + "/tree/main?recursive=true", caller));
        Uni<Part<JsonNode>> pricing =
                json("pricing", "billing", services.get("billing", listingPath + "/pricing", caller), true);
        Uni<Part<JsonNode>> entitlement = caller.anonymous()
                ? Uni.createFrom().item(Part.of(null))
                : json(
                        "entitlement",
                        "billing",
                        services.get(
                                "billing",
                                "/api/v1/entitlements/" + HubServices.segment(ns) + "/" + HubServices.segment(name),
                                caller),
                        false);
        // Only a gated listing has terms to accept: asked once the listing says so.
        Uni<Part<JsonNode>> terms = listing.flatMap(reply -> caller.anonymous()
                        || !reply.ok()
                        || reply.body() == null
                        || !reply.body().path("gated").asBoolean()
                ? Uni.createFrom().item(Part.<JsonNode>of(null))
                : json("terms", "catalog", services.get("catalog", listingPath + "/gate/acceptance", caller), false));

        return Uni.combine()
                .all()
                .unis(required(listing), versions, files, pricing, entitlement, terms)
                .with((l, v, f, p, e, t) -> {
                    List<ModelPage.Warning> warnings = new ArrayList<>();
                    for (Part<?> part : List.of(v, f, p, e, t)) {
                        if (part.warning() != null) {
                            warnings.add(part.warning());
                        }
                    }
                    return new ModelPage(
                            (JsonNode) l,
                            items(v.value()),
                            f.value(),
                            p.value(),
                            new ModelPage.Access(!caller.anonymous(), e.value(), t.value()),
                            warnings);
                });
    }

    /** The listing itself: without it there is no page, so its problem is the page's. */
    private Uni<JsonNode> required(Uni<HubServices.Reply> listing) {
        return listing.onFailure()
                .transform(failure -> new DownstreamUnavailableException("catalog", failure))
                .map(reply -> {
                    if (reply.ok() && reply.body() != null) {
                        return reply.body();
                    }
                    if (reply.status() >= 400 && reply.status() < 500) {
                        String type = reply.headers().get("Content-Type");
                        throw new DownstreamProblemException(
                                "catalog",
                                reply.status(),
                                type,
                                reply.body() == null ? "" : reply.body().toString());
                    }
                    throw new DownstreamUnavailableException("catalog", reply.status());
                });
    }

    /** A JSON part; {@code absentOn404}: a 404 means "there is none" (no pricing yet), not a failure. */
    private Uni<Part<JsonNode>> json(String part, String service, Uni<HubServices.Reply> call, boolean absentOn404) {
        return bounded(part, service, call.map(reply -> {
            if (reply.ok() && reply.body() != null) {
                return Part.of(reply.body());
            }
            if (absentOn404 && reply.status() == 404) {
                return Part.<JsonNode>of(null);
            }
            return Part.<JsonNode>missing(part, service, describe(reply));
        }));
    }

    /** The file summary: totals over every file, then the largest files. */
    private Uni<Part<ModelPage.Files>> files(Uni<HubServices.Reply> call) {
        return bounded("files", "artifact", call.map(reply -> {
            if (reply.status() == 404 && "revision-not-found".equals(reply.problemSlug())) {
                // Nothing uploaded yet: main does not exist.
                return Part.of(new ModelPage.Files("main", null, 0, 0, List.of()));
            }
            if (!reply.ok() || reply.body() == null) {
                return Part.<ModelPage.Files>missing("files", "artifact", describe(reply));
            }
            List<ModelPage.File> all = new ArrayList<>();
            for (JsonNode entry : reply.body().path("entries")) {
                if ("file".equals(entry.path("type").asText())) {
                    all.add(new ModelPage.File(
                            entry.path("path").asText(),
                            entry.path("size").asLong(),
                            entry.path("sha256").asText(null)));
                }
            }
            long total = all.stream().mapToLong(ModelPage.File::size).sum();
            List<ModelPage.File> largest = all.stream()
                    .sorted(Comparator.comparingLong(ModelPage.File::size)
                            .reversed()
                            .thenComparing(ModelPage.File::path))
                    .limit(config.files())
                    .toList();
            return Part.of(
                    new ModelPage.Files("main", reply.body().path("commit").asText(null), all.size(), total, largest));
        }));
    }

    /** A part that fails or is not back in time becomes a warning instead of failing the page. */
    private <T> Uni<Part<T>> bounded(String part, String service, Uni<Part<T>> call) {
        return call.ifNoItem()
                .after(config.partTimeout())
                .failWith(() -> new IllegalStateException(
                        "no answer within " + config.partTimeout().toMillis() + " ms"))
                .onFailure()
                .recoverWithItem(
                        failure -> Part.missing(part, service, service + " is unavailable: " + failure.getMessage()));
    }

    private static String describe(HubServices.Reply reply) {
        String detail = reply.detail();
        return "answered " + reply.status() + (detail.isEmpty() ? "" : ": " + detail);
    }

    /** A paged answer's items (catalog's {@code PageResult}), or the answer itself. */
    private static JsonNode items(JsonNode versions) {
        return versions != null && versions.has("items") ? versions.get("items") : versions;
    }
}
