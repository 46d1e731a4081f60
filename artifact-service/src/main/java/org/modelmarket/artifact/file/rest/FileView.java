package org.modelmarket.artifact.file.rest;

import java.util.List;

import org.modelmarket.artifact.commit.CommitFile;
import org.modelmarket.artifact.scan.ScanResult;

/**
 * A file as the API shows it.
 *
 * @param commit the commit the file belongs to (for uploads: the commit that made it visible)
 * @param scan the security scan's verdict and findings
 * @param open whether anyone who sees the listing may read the file (README, configs: the listing's open-file rule);
 *     otherwise a weight file, which paid and gated listings protect
 */
public record FileView(String path, long size, String sha256, String commit, Scan scan, boolean open) {

    /** A scan verdict and its findings. */
    public record Scan(ScanResult.Verdict verdict, List<String> findings) {}

    static FileView of(CommitFile file, String commit, boolean open) {
        return new FileView(
                file.path,
                file.size,
                file.sha256,
                commit,
                new Scan(file.scanVerdict, List.of(file.scanFindings)),
                open);
    }
}
