package org.modelmarket.artifact.file.rest;

import java.util.List;

/**
 * The files of a revision, wrapped so that fields can be added later without breaking clients.
 *
 * @param openFiles the listing's open-file patterns (its own or the default; {@code GET .../file-access} says which):
 *     files they match are readable before buying, every other file is a weight file
 */
public record FileListView(String commit, List<FileView> files, List<String> openFiles) {}
