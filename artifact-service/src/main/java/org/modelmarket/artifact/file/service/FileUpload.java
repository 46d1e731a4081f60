package org.modelmarket.artifact.file.service;

import org.modelmarket.artifact.commit.service.CommitOutcome;
import org.modelmarket.artifact.scan.ScanResult;

/** A file stored by an upload and the commit that made it visible. */
public record FileUpload(String path, long size, String sha256, ScanResult scan, CommitOutcome outcome) {}
