package org.modelmarket.search.index.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.search.config.SearchConfig;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The listing index's names and its create-index body: settings and explicit mapping from
 * {@code elasticsearch/listings-index.json}, with shard and replica counts from configuration.
 */
@ApplicationScoped
public class ListingIndexDefinition {

    static final String RESOURCE = "elasticsearch/listings-index.json";

    private final SearchConfig.Index config;
    private final String body;

    public ListingIndexDefinition(SearchConfig config, ObjectMapper mapper) {
        this.config = config.index();
        this.body = render(mapper, this.config);
    }

    /** The concrete, versioned index, e.g. {@code listings-v1}. */
    public String concreteIndex() {
        return config.concreteName();
    }

    /** The alias the query side searches. */
    public String readAlias() {
        return config.readAlias();
    }

    /** The alias the projection writes. */
    public String writeAlias() {
        return config.writeAlias();
    }

    /** The JSON body of the create-index request (settings and mappings, no aliases). */
    public String createBody() {
        return body;
    }

    static String render(ObjectMapper mapper, SearchConfig.Index config) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing index definition resource " + RESOURCE);
            }
            ObjectNode root = (ObjectNode) mapper.readTree(in);
            ObjectNode index = root.withObjectProperty("settings").withObjectProperty("index");
            index.put("number_of_shards", config.shards());
            index.put("number_of_replicas", config.replicas());
            return mapper.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read index definition " + RESOURCE, e);
        }
    }
}
