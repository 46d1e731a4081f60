package org.modelmarket.artifact.file.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import org.modelmarket.artifact.file.FilePath;

/** Checks {@link ValidFilePath} with the rules of {@link FilePath}, reporting the precise rule broken. */
public class FilePathValidator implements ConstraintValidator<ValidFilePath, String> {

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        return FilePath.problem(value)
                .map(reason -> {
                    context.disableDefaultConstraintViolation();
                    context.buildConstraintViolationWithTemplate(
                                    reason.replace("{", "\\{").replace("$", "\\$"))
                            .addConstraintViolation();
                    return false;
                })
                .orElse(true);
    }
}
