package org.modelmarket.gateway.grpc;

import java.time.Instant;
import java.util.List;

import org.modelmarket.gateway.file.FileDownload;
import org.modelmarket.gateway.grpc.v1.CreateListingRequest;
import org.modelmarket.gateway.grpc.v1.FileChunk;
import org.modelmarket.gateway.grpc.v1.FileInfo;
import org.modelmarket.gateway.grpc.v1.Listing;
import org.modelmarket.gateway.grpc.v1.SearchHit;
import org.modelmarket.gateway.grpc.v1.SearchResponse;
import org.modelmarket.gateway.listing.NewListing;
import org.modelmarket.gateway.search.SearchPage;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;

import io.smallrye.mutiny.Multi;

/** Maps between the REST DTOs and the {@code marketplace.v1} messages; protobuf has no nulls, so absent means empty. */
final class ProtoMapping {

    private ProtoMapping() {}

    static NewListing toNewListing(CreateListingRequest request) {
        return new NewListing(
                request.getNamespace(),
                request.getName(),
                request.getTitle(),
                request.getSummary(),
                emptyToNull(request.getModality()),
                emptyToNull(request.getTask()),
                emptyToNull(request.getLicense()),
                request.getTagsList(),
                request.getLanguagesList(),
                request.getFrameworksList(),
                emptyToNull(request.getPriceType()));
    }

    static Listing toProto(org.modelmarket.gateway.listing.Listing listing) {
        Listing.Builder proto = Listing.newBuilder()
                .setId(text(listing.id()))
                .setListingId(text(listing.listingId()))
                .setNamespace(text(listing.namespace()))
                .setName(text(listing.name()))
                .setTitle(text(listing.title()))
                .setSummary(text(listing.summary()))
                .setModality(text(listing.modality()))
                .setTask(text(listing.task()))
                .setLicense(text(listing.license()))
                .addAllTags(list(listing.tags()))
                .addAllLanguages(list(listing.languages()))
                .addAllFrameworks(list(listing.frameworks()))
                .setPriceType(text(listing.priceType()))
                .setVisibility(text(listing.visibility()))
                .setStatus(text(listing.status()))
                .addAllOwners(list(listing.owners()))
                .setVersion(listing.version());
        if (listing.createdAt() != null) {
            proto.setCreatedAt(timestamp(listing.createdAt()));
        }
        if (listing.updatedAt() != null) {
            proto.setUpdatedAt(timestamp(listing.updatedAt()));
        }
        return proto.build();
    }

    static SearchResponse toProto(SearchPage page) {
        SearchResponse.Builder proto = SearchResponse.newBuilder()
                .setTotal(page.total())
                .setPage(page.page())
                .setSize(page.size());
        for (SearchPage.SearchHit hit : list(page.items())) {
            proto.addItems(SearchHit.newBuilder()
                    .setId(text(hit.id()))
                    .setListingId(text(hit.listingId()))
                    .setTitle(text(hit.title()))
                    .setSummary(text(hit.summary()))
                    .setModality(text(hit.modality()))
                    .setTask(text(hit.task()))
                    .setLicense(text(hit.license()))
                    .setPriceType(text(hit.priceType()))
                    .addAllTags(list(hit.tags())));
        }
        return proto.build();
    }

    /** The first message of a download: metadata, no data. */
    static FileChunk header(FileDownload download) {
        return FileChunk.newBuilder()
                .setInfo(FileInfo.newBuilder()
                        .setPath(text(download.path()))
                        .setSize(download.size())
                        .setSha256(text(download.sha256()))
                        .setCommit(text(download.commit()))
                        .setOffset(download.offset()))
                .build();
    }

    /** A download as gRPC sends it: the {@link #header} first, then the file's bytes chunk by chunk as they come. */
    static Multi<FileChunk> chunks(FileDownload download) {
        return Multi.createBy()
                .concatenating()
                .streams(
                        Multi.createFrom().item(header(download)),
                        download.content()
                                .map(buffer -> FileChunk.newBuilder()
                                        .setData(ByteString.copyFrom(buffer.getBytes()))
                                        .build()));
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder()
                .setSeconds(instant.getEpochSecond())
                .setNanos(instant.getNano())
                .build();
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }
}
