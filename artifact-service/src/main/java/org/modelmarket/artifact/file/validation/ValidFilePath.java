package org.modelmarket.artifact.file.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/** The annotated string must be a valid {@link org.modelmarket.artifact.file.FilePath}. */
@Documented
@Constraint(validatedBy = FilePathValidator.class)
@Target({PARAMETER, FIELD})
@Retention(RUNTIME)
public @interface ValidFilePath {

    String message() default "must be a valid file path";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
