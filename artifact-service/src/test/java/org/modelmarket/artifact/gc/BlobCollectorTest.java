package org.modelmarket.artifact.gc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.modelmarket.artifact.TestListings.ALICE;

import java.time.Duration;
import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.modelmarket.artifact.TestListings;
import org.modelmarket.artifact.TestListings.Ref;
import org.modelmarket.artifact.blob.BlobStore;
import org.modelmarket.artifact.listing.messaging.ListingEvents;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * The blob collector: deletes content no commit references and no open upload declared, once past the grace period;
 * never a blob a commit (of any listing) or an in-flight upload uses; a deleted listing's blobs go too.
 */
@QuarkusTest
class BlobCollectorTest {

    @Inject
    BlobCollector collector;

    @Inject
    BlobStore blobs;

    @Inject
    BlobLedger ledger;

    @Test
    void collectsOnlyUnusedBlobsPastTheGracePeriod() throws Throwable {
        Ref ref = TestListings.create("gc");
        byte[] kept = random(2000, 1);
        TestListings.upload(ref, "kept.bin", kept).then().statusCode(201);
        String keptSha = TestListings.sha256(kept);

        // An orphan: content the service stored that nothing references.
        byte[] orphan = random(3000, 2);
        String orphanSha = TestListings.sha256(orphan);
        storeOrphan(orphan);
        assertThat(blobs.exists(orphanSha)).isTrue();

        // Within the grace period nothing goes; past it, only the orphan.
        assertThat(collector.collect(Duration.ofHours(1))).doesNotContain(orphanSha, keptSha);
        assertThat(collector.collect(Duration.ZERO)).contains(orphanSha).doesNotContain(keptSha);
        assertThat(blobs.exists(orphanSha)).isFalse();
        assertThat(blobs.exists(keptSha)).isTrue();
        assertThat(given().get(ref.file("kept.bin")).asByteArray()).isEqualTo(kept);
    }

    @Test
    void neverCollectsABlobAnOpenUploadDeclared() throws Throwable {
        Ref ref = TestListings.create("gc-inflight");
        byte[] content = random(4000, 3);
        String sha = TestListings.sha256(content);
        storeOrphan(content);

        // A new upload declares that very content: while it is open the blob stays.
        String id = given().header("Authorization", ALICE)
                .contentType("application/json")
                .body(java.util.Map.of("path", "again.bin", "size", content.length, "sha256", sha))
                .post(ref.base() + "/uploads")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        assertThat(collector.collect(Duration.ZERO)).doesNotContain(sha);
        assertThat(blobs.exists(sha)).isTrue();

        // Aborted: it is free again.
        given().header("Authorization", ALICE)
                .delete(ref.base() + "/uploads/" + id)
                .then()
                .statusCode(204);
        assertThat(collector.collect(Duration.ZERO)).contains(sha);
        assertThat(blobs.exists(sha)).isFalse();
    }

    @Test
    void aDeletedListingFreesItsBlobsButSharedContentStays() throws Exception {
        Ref gone = TestListings.create("gc-gone");
        Ref stays = TestListings.create("gc-stays");
        byte[] own = random(1500, 4);
        byte[] shared = random(1600, 5);
        TestListings.upload(gone, "own.bin", own).then().statusCode(201);
        TestListings.upload(gone, "shared.bin", shared).then().statusCode(201);
        TestListings.upload(stays, "shared.bin", shared).then().statusCode(201);

        ListingEvents.send(gone.id(), null); // catalog deleted the draft listing: a tombstone
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", ALICE)
                        .get(gone.base() + "/commits")
                        .then()
                        .statusCode(404));

        var deleted = collector.collect(Duration.ZERO);
        assertThat(deleted).contains(TestListings.sha256(own)).doesNotContain(TestListings.sha256(shared));
        assertThat(given().get(stays.file("shared.bin")).asByteArray()).isEqualTo(shared);
    }

    /**
     * Stores {@code content} unreferenced, as an abandoned write leaves it (a single upload whose commit then failed,
     * a completed upload never committed): in the blob store and the ledger, in no commit and no live upload.
     */
    private void storeOrphan(byte[] content) throws Throwable {
        var blob = blobs.write(new java.io.ByteArrayInputStream(content), content.length);
        VertxContextSupport.subscribeAndAwait(() -> ledger.touch(blob.sha256(), blob.size()));
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed * 7919 + System.nanoTime()).nextBytes(bytes);
        return bytes;
    }
}
