package org.modelmarket.artifact.commit.rest;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.modelmarket.artifact.file.validation.ValidFilePath;

/**
 * Body of an atomic commit: a message, optionally the commit {@code main} must still be at (optimistic concurrency),
 * and the operations, applied in order and made visible together.
 */
public record CommitRequest(
        @NotBlank @Size(max = 4096) String message,

        @Pattern(regexp = "[0-9a-f]{40}", message = "must be a 40-hex commit id")
        String parent,

        @NotEmpty @Size(max = 1000) List<@Valid @NotNull Operation> operations) {

    /**
     * One operation: {@code add} with inline {@code content} (base64; small files) or with the {@code sha256} of
     * content uploaded before (a completed multipart upload, or a file the listing holds), or {@code delete} (a file,
     * or a folder and everything in it).
     */
    public record Operation(
            @NotNull @Pattern(regexp = "add|delete", message = "must be add or delete")
            String op,

            @NotNull @ValidFilePath String path,
            String content,

            @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lower-case hex digits")
            String sha256) {}
}
