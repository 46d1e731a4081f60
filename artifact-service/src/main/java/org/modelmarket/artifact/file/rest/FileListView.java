package org.modelmarket.artifact.file.rest;

import java.util.List;

/** The files of a revision, wrapped so that fields can be added later without breaking clients. */
public record FileListView(String commit, List<FileView> files) {}
