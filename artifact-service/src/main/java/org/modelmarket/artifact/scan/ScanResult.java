package org.modelmarket.artifact.scan;

import java.util.List;

/**
 * What a {@link FileScanner} found in one file.
 *
 * @param verdict the overall verdict
 * @param findings the offending globals (e.g. {@code os.system}) or the reasons a file is invalid; empty when safe
 */
public record ScanResult(Verdict verdict, List<String> findings) {

    /** A scan's verdict. */
    public enum Verdict {
        /** Parsed, nothing outside the allow-list. */
        SAFE,
        /** Parsed, and it imports something that can run code when loaded. */
        UNSAFE,
        /** Not a format the scanner parses (a README, an ONNX file), or no scanner ran. */
        NOT_SCANNED,
        /** Claims a parsed format but is malformed (a safetensors header out of bounds, a truncated pickle). */
        INVALID
    }

    public ScanResult {
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /** Nothing was scanned. */
    public static ScanResult notScanned() {
        return new ScanResult(Verdict.NOT_SCANNED, List.of());
    }
}
