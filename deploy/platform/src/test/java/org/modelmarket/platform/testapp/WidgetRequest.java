package org.modelmarket.platform.testapp;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /widgets}: nested constraints, to check the full field paths of validation problems. */
public record WidgetRequest(
        @NotBlank @Size(max = 40) String name, List<@Valid Part> parts, Instant availableFrom, List<String> tags) {

    /** One part of a widget. */
    public record Part(@NotBlank String label, @Min(1) int quantity) {}
}
