package org.modelmarket.search.problem;

import java.util.List;

/** Input that passed the per-field constraints but not a rule across fields; answered with 400 and the fields at fault. */
public class InvalidRequestException extends RuntimeException {

    private final List<Problem.FieldError> errors;

    public InvalidRequestException(String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.errors = List.copyOf(errors);
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
