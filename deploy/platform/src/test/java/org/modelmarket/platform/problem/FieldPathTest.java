package org.modelmarket.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.validation.executable.ExecutableValidator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

/** The field a violation names: a query or path parameter by its name, a body's field by its path inside the body. */
class FieldPathTest {

    record Body(@NotBlank String name, List<@Valid Part> parts) {}

    record Part(@NotBlank String label) {}

    static class Resource {
        @SuppressWarnings("unused") // validated reflectively
        void search(@Max(100) int size, List<@Size(max = 3) String> tags, @Valid Body body) {}
    }

    @Test
    void queryParametersAreNamedAndBodyFieldsArePathsInsideTheBody() throws Exception {
        ExecutableValidator validator = Validation.byDefaultProvider()
                .configure()
                .messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory()
                .getValidator()
                .forExecutables();
        Method search = Resource.class.getDeclaredMethod("search", int.class, List.class, Body.class);

        List<String> fields = validator
                .validateParameters(new Resource(), search, new Object[] {
                    1000, List.of("ok", "too long"), new Body(" ", List.of(new Part("a"), new Part("")))
                })
                .stream()
                .map(violation -> ProblemMappers.fieldPath(violation.getPropertyPath()))
                .sorted()
                .toList();

        assertThat(fields).containsExactly("name", "parts[1].label", "size", "tags[1]");
    }
}
