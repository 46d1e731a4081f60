package org.modelmarket.artifact.file.rest;

import org.modelmarket.artifact.file.FileEntry;

/** A file as the API shows it. */
public record FileView(String path, long size, String sha256) {

    static FileView of(FileEntry file) {
        return new FileView(file.path, file.size, file.sha256);
    }
}
