package org.modelmarket.catalog.listing;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The structured parts of a model card, stored as one JSON document on the listing and exposed as fields of the
 * listing: evaluation results, input/output signature and hardware requirements.
 */
public final class ListingSpec {

    private ListingSpec() {}

    /** One reported score, as Hugging Face's model-index records it. */
    @Schema(name = "EvaluationResult")
    public record EvaluationResult(
            @Schema(examples = "image-classification") @NotBlank @Size(max = 100)
            String task,

            @Schema(examples = "imagenet-1k") @NotBlank @Size(max = 200)
            String dataset,

            @Schema(examples = "validation") @Size(max = 100)
            String split,

            @Schema(examples = "top-1 accuracy") @NotBlank @Size(max = 100)
            String metric,

            @Schema(examples = "0.761") @NotNull Double value) {}

    /** One named tensor of the model's inputs or outputs; -1 in a shape is a dynamic dimension. */
    @Schema(name = "TensorSpec")
    public record TensorSpec(
            @Schema(examples = "pixel_values") @NotBlank @Size(max = 100)
            String name,

            @Schema(examples = "float32")
            @NotNull
            @Pattern(regexp = "^[a-z][a-z0-9_]{0,19}$", message = "must be a lowercase dtype like float32")
            String dtype,

            @Schema(examples = "[-1, 3, 224, 224]") @Size(max = 8)
            List<@NotNull @Min(-1) Integer> shape) {}

    /** Inputs and outputs of the model. */
    @Schema(name = "Signature")
    public record Signature(
            @Size(max = 50) List<@NotNull @Valid TensorSpec> inputs,
            @Size(max = 50) List<@NotNull @Valid TensorSpec> outputs) {}

    /** What it takes to run the model. */
    @Schema(name = "HardwareRequirements")
    public record Hardware(
            @Schema(description = "whether a GPU (or other accelerator) is required")
            Boolean acceleratorRequired,

            @Schema(examples = "[\"nvidia-t4\",\"nvidia-a100\"]") @Size(max = 20)
            List<@NotBlank @Size(max = 50) String> accelerators,

            @Schema(examples = "16") @DecimalMin("0") Double minMemoryGb,
            @Schema(examples = "8") @DecimalMin("0") Double minAcceleratorMemoryGb,
            @Size(max = 2000) String notes) {}

    /** The stored document. */
    public record Document(List<EvaluationResult> evaluationResults, Signature signature, Hardware hardware) {
        public static final Document EMPTY = new Document(List.of(), null, null);
    }
}
