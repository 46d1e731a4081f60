package org.modelmarket.search.bench;

import java.util.ArrayList;
import java.util.List;

import jakarta.validation.Validation;

import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.modelmarket.platform.cloudevents.CloudEventReader;
import org.modelmarket.search.index.IndexOperation;
import org.modelmarket.search.index.elasticsearch.ElasticsearchIndexAdmin;
import org.modelmarket.search.projection.CatalogListingReader;
import org.modelmarket.search.projection.ListingProjector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;

/**
 * Adds N generated listings to a running search index through the service's own rebuild path, without Kafka: each
 * listing is the catalog.listings v2 CloudEvent that {@link ListingGenerator} makes (the same seeded listings that
 * {@link GenerateListings} publishes), read by the service's {@link CatalogListingReader}, turned into an index
 * operation by {@link ListingProjector#operation} and written by {@link ElasticsearchIndexAdmin#bulk} (external
 * versioning, batches of 1,000), into the write alias, i.e. the index of the service's own mapping. So the documents
 * are the ones the live projection or a rebuild would write for those events; only the transport differs (the live
 * projection writes one record at a time: on two busy cores about 15-100 listings/s, hours for 100,000).
 *
 * <pre>
 * java -cp ... org.modelmarket.search.bench.BulkLoad --count 100000 --elasticsearch 127.0.0.1:19200 [--seed 42]
 * </pre>
 */
public final class BulkLoad {

    private BulkLoad() {}

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(GenerateListings.option(args, "--count", "100000"));
        String elasticsearch = GenerateListings.option(args, "--elasticsearch", "127.0.0.1:19200");
        long seed = Long.parseLong(GenerateListings.option(args, "--seed", "42"));
        String index = GenerateListings.option(args, "--index", "listings-write");
        // as Quarkus configures the service's mapper: java.time as ISO-8601 text
        ObjectMapper json =
                new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        CatalogListingReader reader = new CatalogListingReader(new CloudEventReader(
                json,
                Validation.byDefaultProvider()
                        .configure()
                        .messageInterpolator(new ParameterMessageInterpolator())
                        .buildValidatorFactory()
                        .getValidator()));
        long begin = System.nanoTime();
        int applied = 0;
        int searchable = 0;
        try (RestClient rest =
                        RestClient.builder(HttpHost.create(elasticsearch)).build();
                RestClientTransport transport = new RestClientTransport(rest, new JacksonJsonpMapper(json))) {
            // bulk() needs the client only; the index definition is the running index's (created by the service)
            ElasticsearchIndexAdmin admin = new ElasticsearchIndexAdmin(new ElasticsearchAsyncClient(transport), null);
            ListingGenerator generator = new ListingGenerator(seed, GenerateListings.vendors(count));
            List<IndexOperation> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ListingGenerator.Generated listing = generator.next();
                searchable += listing.searchable() ? 1 : 0;
                ListingProjector.operation(reader.read(listing.listingId(), listing.cloudEvent()))
                        .ifPresent(batch::add);
                if (batch.size() == 1_000 || i == count - 1) {
                    applied += admin.bulk(index, batch).await().indefinitely();
                    batch.clear();
                }
            }
        }
        System.out.printf(
                "Bulk-loaded %d listings (%d searchable, %d writes applied) into %s on %s in %.1f s%n",
                count, searchable, applied, index, elasticsearch, (System.nanoTime() - begin) / 1e9);
    }
}
