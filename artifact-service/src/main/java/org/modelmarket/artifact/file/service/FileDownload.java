package org.modelmarket.artifact.file.service;

import org.modelmarket.artifact.blob.BlobLocation;
import org.modelmarket.artifact.commit.Commit;
import org.modelmarket.artifact.commit.CommitFile;
import org.modelmarket.artifact.listing.Listing;

/** A file ready to be sent: its listing, the resolved commit, the file's manifest entry and where its bytes are. */
public record FileDownload(Listing listing, Commit commit, CommitFile file, BlobLocation location) {}
