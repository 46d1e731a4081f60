package org.modelmarket.gateway.file;

import java.util.List;

/** The files of a listing, as artifact-service lists them. */
public record FileList(List<FileEntry> files) {}
