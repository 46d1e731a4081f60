package org.modelmarket.search.index.elasticsearch;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.modelmarket.search.index.ListingFilters;
import org.modelmarket.search.index.ListingPage;
import org.modelmarket.search.index.ListingQuery;
import org.modelmarket.search.index.ListingSort;
import org.modelmarket.search.query.service.SearchService;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Bench tool, not a test: the CPU a page-paged search costs search-service between Elasticsearch's answer and its own,
 * in one thread (thread CPU time, so other work on a shared machine hardly moves it), in three parts: reading the
 * {@code _msearch} answer ({@link MultiSearchResult}), turning it into the page, building the REST answer and writing
 * it as JSON (an ObjectMapper set up like Quarkus'). The default answer, {@code bench/msearch-speech.json}, is the
 * demo data's {@code q=speech} (7 hits with highlights, 11 facets, 11 KB) in Elasticsearch's shape. Run it against a
 * build and a baseline build in turn:
 * {@code java -cp search-service/target/test-classes:<quarkus-app>/app/*:<quarkus-app>/lib/main/*:<quarkus-app>/lib/boot/*
 * org.modelmarket.search.index.elasticsearch.MappingCost [answer.json]}.
 */
public final class MappingCost {

    private static final int SEARCHES = 20_000;

    private MappingCost() {}

    public static void main(String[] args) throws Exception {
        byte[] body;
        if (args.length > 0) {
            body = Files.readAllBytes(Path.of(args[0]));
        } else {
            try (InputStream in = MappingCost.class.getClassLoader().getResourceAsStream("bench/msearch-speech.json")) {
                body = in.readAllBytes();
            }
        }
        ObjectMapper json = new ObjectMapper()
                .findAndRegisterModules()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        ObjectReader reader = json.readerFor(MultiSearchResult.class);
        ListingQuery query = new ListingQuery(
                Optional.of("speech"), ListingFilters.NONE, ListingSort.RELEVANCE, 0, 20, Optional.empty(), true);
        // the REST answer's factory is package-private in another package: reflection, outside the timed loops' cost
        Method answer = Class.forName("org.modelmarket.search.query.rest.SearchResponse")
                .getDeclaredMethod("from", SearchService.Result.class, int.class);
        answer.setAccessible(true);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        MultiSearchResult read = reader.readValue(body);
        ListingPage page = ElasticsearchListingIndex.multiSearchPage(query, read);
        long sink = 0;
        for (int round = 1; round <= 12; round++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < SEARCHES; i++) {
                sink += ((MultiSearchResult) reader.readValue(body)).responses().size();
            }
            long t1 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < SEARCHES; i++) {
                sink += ElasticsearchListingIndex.multiSearchPage(query, read)
                        .hits()
                        .size();
            }
            long t2 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < SEARCHES; i++) {
                Object response = answer.invoke(null, new SearchService.Result(query, page, Optional.empty()), 0);
                sink += json.writeValueAsBytes(response).length;
            }
            long t3 = cpu.getCurrentThreadCpuTime();
            // the first rounds warm the JIT up; the last ones are the figure
            System.out.printf(
                    "round %2d: %.1f us CPU per search: read %.1f, page %.1f, answer and JSON %.1f%n",
                    round,
                    (t3 - t0) / 1000.0 / SEARCHES,
                    (t1 - t0) / 1000.0 / SEARCHES,
                    (t2 - t1) / 1000.0 / SEARCHES,
                    (t3 - t2) / 1000.0 / SEARCHES);
        }
        if (sink == 42) {
            System.out.println(); // keeps the loops' results alive
        }
    }
}
