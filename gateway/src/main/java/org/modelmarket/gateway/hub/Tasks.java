package org.modelmarket.gateway.hub;

import java.util.Map;

/**
 * Maps ModelMarket's task taxonomy onto the Hub's {@code pipeline_tag}: the taxonomy's Hub tasks are the Hub's ids
 * already; its research tasks map to the Hub pipeline that serves them, or to none.
 */
public final class Tasks {

    private static final Map<String, String> STUDY_TO_PIPELINE = Map.ofEntries(
            Map.entry("semantic-segmentation", "image-segmentation"),
            Map.entry("instance-segmentation", "image-segmentation"),
            Map.entry("pose-estimation", "keypoint-detection"),
            Map.entry("super-resolution", "image-to-image"),
            Map.entry("style-transfer", "image-to-image"),
            Map.entry("optical-character-recognition", "image-to-text"),
            Map.entry("image-generation", "text-to-image"),
            Map.entry("named-entity-recognition", "token-classification"),
            Map.entry("sentiment-analysis", "text-classification"),
            Map.entry("text-embedding", "feature-extraction"),
            Map.entry("language-modeling", "text-generation"),
            Map.entry("action-recognition", "video-classification"),
            Map.entry("speaker-identification", "audio-classification"),
            Map.entry("audio-embedding", "feature-extraction"),
            Map.entry("image-captioning", "image-to-text"),
            Map.entry("image-text-retrieval", "visual-document-retrieval"));

    /** Research tasks with no Hub pipeline. */
    private static final java.util.Set<String> NO_PIPELINE =
            java.util.Set.of("object-tracking", "pitch-extraction", "anomaly-detection", "recommendation");

    private Tasks() {}

    /** The Hub pipeline tag of a ModelMarket task, or null. */
    public static String pipelineTag(String task) {
        if (task == null || task.isBlank() || NO_PIPELINE.contains(task)) {
            return null;
        }
        return STUDY_TO_PIPELINE.getOrDefault(task, task);
    }
}
