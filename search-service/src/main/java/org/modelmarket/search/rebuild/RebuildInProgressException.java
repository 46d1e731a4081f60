package org.modelmarket.search.rebuild;

import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.search.problem.SearchProblem;

/** A rebuild was asked for while another one runs; answered with 409. */
public class RebuildInProgressException extends ProblemException {

    public RebuildInProgressException(String message) {
        super(SearchProblem.REBUILD_IN_PROGRESS, message);
    }
}
