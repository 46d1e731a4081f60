package org.modelmarket.catalog.listing;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.modelmarket.catalog.listing.ListingSpec.EvaluationResult;
import org.modelmarket.catalog.listing.ListingSpec.Hardware;
import org.modelmarket.catalog.listing.ListingSpec.Signature;

/**
 * Body of {@code POST /api/v1/listings} (namespace and name required) and of {@code PUT /api/v1/listings/{ns}/{name}}
 * (a full replacement of the editable fields; namespace and name may be omitted, else must match the path).
 * Field rules the annotations cannot say (taxonomy, ISO 639-1, licence {@code other} with a EULA, gated with terms)
 * are checked by {@link org.modelmarket.catalog.listing.service.ListingValidator}.
 */
@Schema(name = "ListingRequest", description = "A listing's editable content")
public record ListingRequest(
        @Schema(examples = "acme") @Pattern(regexp = SLUG, message = SLUG_MESSAGE)
        String namespace,

        @Schema(examples = "resnet-50") @Pattern(regexp = SLUG, message = SLUG_MESSAGE)
        String name,

        @Schema(examples = "ResNet-50") @NotBlank @Size(max = 200)
        String title,

        @Size(max = 2000) String summary,

        @Schema(description = "Markdown model card") @Size(max = 100_000)
        String modelCard,

        @Schema(
                examples = "image",
                description = "image, text, video, audio, multimodal, tabular, " + "reinforcement-learning")
        @NotNull
        String modality,

        @Schema(examples = "image-classification", description = "a task id of GET /api/v1/taxonomy") @NotNull
        String task,

        @Schema(examples = "apache-2.0", description = "SPDX id (any case), or other with eula")
        @NotNull
        @Pattern(regexp = LICENSE, message = "must be an SPDX licence id or other")
        String license,

        @Schema(description = "the vendor's licence text; required when license is other") @Size(max = 100_000)
        String eula,

        @Size(max = 20) List<@NotNull @Pattern(regexp = TAXON, message = "must be a lowercase tag") String> tags,

        @Schema(description = "ISO 639-1 codes") @Size(max = 200)
        List<@NotNull String> languages,

        @Size(max = 20)
        List<@NotNull @Pattern(regexp = TAXON, message = "must be a lowercase framework id like pytorch") String>
                frameworks,

        @Schema(examples = "[\"safetensors\",\"onnx\"]") @Size(max = 20)
        List<@NotNull @Pattern(regexp = TAXON, message = "must be a lowercase format id like safetensors") String>
                formats,

        @Schema(examples = "[\"imagenet-1k\"]") @Size(max = 50)
        List<
                        @NotNull
                        @Pattern(regexp = REFERENCE, message = "must be a dataset id like imagenet-1k or org/dataset")
                        String>
                datasets,

        @Schema(description = "another listing ns/name or an external id")
        @Pattern(regexp = REFERENCE, message = "must be a model id like acme/resnet-50")
        String baseModel,

        @Size(max = 100) List<@NotNull @Valid EvaluationResult> evaluationResults,
        @Valid Signature signature,
        @Valid Hardware hardware,

        @Schema(description = "example usage snippet") @Size(max = 20_000)
        String exampleUsage,

        @NotNull PriceType priceType,
        @Schema(description = "defaults to public") Visibility visibility,

        @Schema(description = "buyers must accept gateTerms before access")
        Boolean gated,

        @Size(max = 20_000) String gateTerms,

        @Schema(description = "create only: keep the listing a draft even if the vendor is verified")
        Boolean draft) {

    /** Namespaces and names, as the contract fixes them (Hugging Face style, lowercase). */
    public static final String SLUG = "^[a-z0-9]([a-z0-9-_.]{0,62}[a-z0-9])?$";

    public static final String SLUG_MESSAGE =
            "must be 1-64 lowercase letters, digits, '-', '_' or '.', " + "starting and ending with a letter or digit";
    static final String TAXON = "^[a-z0-9][a-z0-9-.+]{0,49}$";
    static final String LICENSE = "^[A-Za-z0-9][A-Za-z0-9.+-]{0,63}$";
    static final String REFERENCE = "^[A-Za-z0-9][A-Za-z0-9._-]{0,95}(/[A-Za-z0-9][A-Za-z0-9._-]{0,95})?$";
}
