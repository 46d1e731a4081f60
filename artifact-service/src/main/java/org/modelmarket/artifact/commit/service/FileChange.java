package org.modelmarket.artifact.commit.service;

import org.modelmarket.artifact.scan.ScanResult;

/** One change of an atomic commit. */
public sealed interface FileChange {

    /** The path the change is about. */
    String path();

    /** Adds or replaces the file at {@code path} with a stored, verified and scanned blob. */
    record Put(String path, long size, String sha256, ScanResult scan) implements FileChange {}

    /** Deletes the file at {@code path}, or every file under the folder {@code path}. */
    record Delete(String path) implements FileChange {}
}
