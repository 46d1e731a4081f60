package org.modelmarket.catalog.listing.rest;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.modelmarket.catalog.listing.PriceType;
import org.modelmarket.catalog.listing.Visibility;

/** Body of {@code POST /api/v1/listings}. */
@Schema(name = "CreateListing", description = "A new listing (model repository namespace/name)")
public record CreateListingRequest(
        @Schema(examples = "acme") @NotNull @Pattern(regexp = SLUG, message = SLUG_MESSAGE) String namespace,
        @Schema(examples = "resnet-50") @NotNull @Pattern(regexp = SLUG, message = SLUG_MESSAGE) String name,
        @Schema(examples = "ResNet-50") @NotBlank @Size(max = 200) String title,
        @Size(max = 2000) String summary,
        @Schema(examples = "image", description = "image, text, video, audio, multimodal, tabular, "
                + "reinforcement-learning") @NotNull @Pattern(regexp = MODALITY, message = "must be one of "
                        + MODALITY_LIST) String modality,
        @Schema(examples = "image-classification") @NotNull @Pattern(regexp = TAXON,
                message = "must be a lowercase task id like image-classification") String task,
        @Schema(examples = "apache-2.0", description = "SPDX id (any case) or a vendor licence id") @NotNull
        @Pattern(regexp = LICENSE, message = "must be an SPDX-style licence id") String license,
        @Size(max = 20) List<@NotNull @Pattern(regexp = TAXON, message = "must be a lowercase tag") String> tags,
        @Size(max = 50) List<@NotNull @Pattern(regexp = LANGUAGE,
                message = "must be a BCP 47 language tag like en or pt-BR") String> languages,
        @Size(max = 20) List<@NotNull @Pattern(regexp = TAXON,
                message = "must be a lowercase framework id like pytorch") String> frameworks,
        @NotNull PriceType priceType,
        @Schema(description = "defaults to public") Visibility visibility) {

    /** Namespaces and names, as the contract fixes them (Hugging Face style, lowercase). */
    static final String SLUG = "^[a-z0-9]([a-z0-9-_.]{0,62}[a-z0-9])?$";
    static final String SLUG_MESSAGE = "must be 1-64 lowercase letters, digits, '-', '_' or '.', "
            + "starting and ending with a letter or digit";
    static final String TAXON = "^[a-z0-9][a-z0-9-.+]{0,49}$";
    static final String LICENSE = "^[A-Za-z0-9][A-Za-z0-9.+-]{0,63}$";
    static final String LANGUAGE = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$";
    static final String MODALITY_LIST = "image, text, video, audio, multimodal, tabular, reinforcement-learning";
    static final String MODALITY = "^(image|text|video|audio|multimodal|tabular|reinforcement-learning)$";
}
