package org.modelmarket.catalog.taxonomy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The controlled vocabulary of modalities and tasks: every Hugging Face Hub pipeline task (source {@code hf}) plus
 * the subtypes the model-hub study names that Hugging Face lacks (TF Hub / Kaggle Models / Wolfram, source
 * {@code study}). Each task sits under the modality it is listed with; a listing may combine any modality with any
 * task (e.g. video + object-detection), the tree is for browsing and facets.
 */
public final class Taxonomy {

    /** Modalities, in display order. */
    public static final List<String> MODALITIES =
            List.of("image", "text", "video", "audio", "multimodal", "tabular", "reinforcement-learning");

    /** One task of the taxonomy. */
    @Schema(name = "Task")
    public record Task(String id, String label, String source) {}

    /** A modality and its tasks. */
    @Schema(name = "Modality")
    public record Modality(String id, String label, List<Task> tasks) {}

    /** The whole tree, {@code GET /api/v1/taxonomy}. */
    @Schema(name = "Taxonomy")
    public record Tree(List<Modality> modalities) {}

    public static final Tree TREE = build();

    private static final Set<String> TASK_IDS = TREE.modalities().stream()
            .flatMap(modality -> modality.tasks().stream())
            .map(Task::id)
            .collect(Collectors.toUnmodifiableSet());

    private Taxonomy() {}

    public static boolean isTask(String id) {
        return TASK_IDS.contains(id);
    }

    public static boolean isModality(String id) {
        return MODALITIES.contains(id);
    }

    private static Tree build() {
        Map<String, List<Task>> tasks = new LinkedHashMap<>();
        tasks.put(
                "image",
                List.of(
                        hf("image-classification", "Image Classification"),
                        hf("object-detection", "Object Detection"),
                        hf("image-segmentation", "Image Segmentation"),
                        hf("depth-estimation", "Depth Estimation"),
                        hf("image-to-image", "Image-to-Image"),
                        hf("unconditional-image-generation", "Unconditional Image Generation"),
                        hf("zero-shot-image-classification", "Zero-Shot Image Classification"),
                        hf("zero-shot-object-detection", "Zero-Shot Object Detection"),
                        hf("mask-generation", "Mask Generation"),
                        hf("image-feature-extraction", "Image Feature Extraction"),
                        hf("keypoint-detection", "Keypoint Detection"),
                        hf("image-to-3d", "Image-to-3D"),
                        hf("text-to-3d", "Text-to-3D"),
                        study("semantic-segmentation", "Semantic Segmentation"),
                        study("instance-segmentation", "Instance Segmentation"),
                        study("pose-estimation", "Pose Estimation"),
                        study("super-resolution", "Super-Resolution"),
                        study("style-transfer", "Style Transfer"),
                        study("optical-character-recognition", "Optical Character Recognition"),
                        study("image-generation", "Image Generation")));
        tasks.put(
                "text",
                List.of(
                        hf("text-classification", "Text Classification"),
                        hf("token-classification", "Token Classification"),
                        hf("table-question-answering", "Table Question Answering"),
                        hf("question-answering", "Question Answering"),
                        hf("zero-shot-classification", "Zero-Shot Classification"),
                        hf("translation", "Translation"),
                        hf("summarization", "Summarization"),
                        hf("feature-extraction", "Feature Extraction"),
                        hf("text-generation", "Text Generation"),
                        hf("text2text-generation", "Text2Text Generation"),
                        hf("fill-mask", "Fill-Mask"),
                        hf("sentence-similarity", "Sentence Similarity"),
                        hf("text-ranking", "Text Ranking"),
                        study("named-entity-recognition", "Named Entity Recognition"),
                        study("sentiment-analysis", "Sentiment Analysis"),
                        study("text-embedding", "Text Embedding"),
                        study("language-modeling", "Language Modeling")));
        tasks.put(
                "video",
                List.of(
                        hf("video-classification", "Video Classification"),
                        hf("text-to-video", "Text-to-Video"),
                        hf("image-to-video", "Image-to-Video"),
                        hf("video-to-video", "Video-to-Video"),
                        study("action-recognition", "Action Recognition"),
                        study("object-tracking", "Object Tracking")));
        tasks.put(
                "audio",
                List.of(
                        hf("automatic-speech-recognition", "Automatic Speech Recognition"),
                        hf("text-to-speech", "Text-to-Speech"),
                        hf("text-to-audio", "Text-to-Audio"),
                        hf("audio-to-audio", "Audio-to-Audio"),
                        hf("audio-classification", "Audio Classification"),
                        hf("voice-activity-detection", "Voice Activity Detection"),
                        study("speaker-identification", "Speaker Identification"),
                        study("audio-embedding", "Audio Embedding"),
                        study("pitch-extraction", "Pitch Extraction")));
        tasks.put(
                "multimodal",
                List.of(
                        hf("image-text-to-text", "Image-Text-to-Text"),
                        hf("visual-question-answering", "Visual Question Answering"),
                        hf("document-question-answering", "Document Question Answering"),
                        hf("video-text-to-text", "Video-Text-to-Text"),
                        hf("visual-document-retrieval", "Visual Document Retrieval"),
                        hf("any-to-any", "Any-to-Any"),
                        hf("audio-text-to-text", "Audio-Text-to-Text"),
                        hf("text-to-image", "Text-to-Image"),
                        hf("image-to-text", "Image-to-Text"),
                        study("image-captioning", "Image Captioning"),
                        study("image-text-retrieval", "Image-Text Retrieval"),
                        hf("other", "Other")));
        tasks.put(
                "tabular",
                List.of(
                        hf("tabular-classification", "Tabular Classification"),
                        hf("tabular-regression", "Tabular Regression"),
                        hf("time-series-forecasting", "Time Series Forecasting"),
                        study("anomaly-detection", "Anomaly Detection"),
                        study("recommendation", "Recommendation"),
                        hf("graph-ml", "Graph Machine Learning")));
        tasks.put(
                "reinforcement-learning",
                List.of(hf("reinforcement-learning", "Reinforcement Learning"), hf("robotics", "Robotics")));
        Map<String, String> labels = Map.of(
                "image",
                "Image (computer vision)",
                "text",
                "Text (NLP)",
                "video",
                "Video",
                "audio",
                "Audio",
                "multimodal",
                "Multimodal",
                "tabular",
                "Tabular",
                "reinforcement-learning",
                "Reinforcement learning");
        return new Tree(MODALITIES.stream()
                .map(id -> new Modality(id, labels.get(id), tasks.get(id)))
                .toList());
    }

    private static Task hf(String id, String label) {
        return new Task(id, label, "hf");
    }

    private static Task study(String id, String label) {
        return new Task(id, label, "study");
    }
}
