package org.modelmarket.artifact.file.service;

import org.modelmarket.artifact.blob.BlobLocation;
import org.modelmarket.artifact.file.FileEntry;
import org.modelmarket.artifact.listing.Listing;

/** A file ready to be sent: its listing, its metadata and where its bytes are. */
public record FileDownload(Listing listing, FileEntry file, BlobLocation location) {}
