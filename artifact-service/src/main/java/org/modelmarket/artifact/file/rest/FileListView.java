package org.modelmarket.artifact.file.rest;

import java.util.List;

/** The files of a listing, wrapped so that fields (a cursor, totals) can be added later without breaking clients. */
public record FileListView(List<FileView> files) {}
