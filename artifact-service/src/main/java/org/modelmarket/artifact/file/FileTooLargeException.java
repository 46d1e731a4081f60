package org.modelmarket.artifact.file;

import org.modelmarket.artifact.problem.ProblemException;

/** The upload is larger than {@code modelmarket.artifact.upload.max-size}. */
public class FileTooLargeException extends ProblemException {

    public FileTooLargeException(long maxBytes) {
        super(413, "file-too-large", "File too large", "Files may be at most " + maxBytes + " bytes.");
    }
}
