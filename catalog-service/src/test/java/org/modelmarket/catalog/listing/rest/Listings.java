package org.modelmarket.catalog.listing.rest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Request bodies for listing tests; every call gets a fresh namespace so tests never collide. */
public final class Listings {

    private Listings() {}

    /** A namespace no other test uses. */
    public static String freshNamespace() {
        return "ns-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A valid create body for {@code namespace/name}, mutable so tests can break one field. */
    public static Map<String, Object> body(String namespace, String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("namespace", namespace);
        body.put("name", name);
        body.put("title", "ResNet-50");
        body.put("summary", "Deep residual network for image classification.");
        body.put("modality", "image");
        body.put("task", "image-classification");
        body.put("license", "apache-2.0");
        body.put("tags", List.of("vision", "imagenet"));
        body.put("languages", List.of("en"));
        body.put("frameworks", List.of("pytorch"));
        body.put("priceType", "free");
        return body;
    }
}
