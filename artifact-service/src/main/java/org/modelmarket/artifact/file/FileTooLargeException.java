package org.modelmarket.artifact.file;

import org.modelmarket.artifact.problem.ArtifactProblem;
import org.modelmarket.platform.problem.ProblemException;

/** The upload is larger than {@code modelmarket.artifact.upload.max-size}. */
public class FileTooLargeException extends ProblemException {

    public FileTooLargeException(long maxBytes) {
        super(ArtifactProblem.FILE_TOO_LARGE, "Files may be at most " + maxBytes + " bytes.");
    }
}
