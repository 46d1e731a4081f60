package org.modelmarket.launcher;

import java.util.List;

/** One of the five ModelMarket services as the launcher runs it: its module folder, port and PostgreSQL database (if any). */
enum ServiceApp {
    CATALOG("catalog-service", "catalog"),
    SEARCH("search-service", null),
    ARTIFACT("artifact-service", "artifact"),
    BILLING("billing-service", "billing"),
    GATEWAY("gateway", "gateway");

    /** Start order: the gateway last, so that it is ready only when everything behind it is. */
    static final List<ServiceApp> START_ORDER = List.of(CATALOG, SEARCH, ARTIFACT, BILLING, GATEWAY);

    final String module;
    final String database;

    ServiceApp(String module, String database) {
        this.module = module;
        this.database = database;
    }
}
