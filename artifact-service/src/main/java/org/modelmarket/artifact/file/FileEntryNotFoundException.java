package org.modelmarket.artifact.file;

import org.modelmarket.artifact.problem.ArtifactProblem;
import org.modelmarket.platform.problem.ProblemException;

/** The listing has no file at this path. */
public class FileEntryNotFoundException extends ProblemException {

    public FileEntryNotFoundException(String coordinates, String path) {
        super(ArtifactProblem.FILE_NOT_FOUND, "Listing " + coordinates + " has no file " + path + ".");
    }
}
