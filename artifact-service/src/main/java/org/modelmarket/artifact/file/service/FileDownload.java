package org.modelmarket.artifact.file.service;

import org.modelmarket.artifact.blob.BlobLocation;
import org.modelmarket.artifact.file.FileEntry;

/** A file ready to be sent: its metadata and where its bytes are. */
public record FileDownload(FileEntry file, BlobLocation location) {
}
