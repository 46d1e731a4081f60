package org.modelmarket.search.query.rest;

import java.util.List;

/** The listings most similar to {@code listing}, best first; never the listing itself. */
public record SimilarResponse(String listing, List<SearchItem> items) {}
