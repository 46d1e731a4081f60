package org.modelmarket.artifact.file;

import org.modelmarket.artifact.problem.ProblemException;

/** The listing has no file at this path. */
public class FileEntryNotFoundException extends ProblemException {

    public FileEntryNotFoundException(String coordinates, String path) {
        super(404, "file-not-found", "File not found", "Listing " + coordinates + " has no file " + path + ".");
    }
}
