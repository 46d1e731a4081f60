package org.modelmarket.search.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Synthetic but realistic catalog listings, as catalog.listings v2 CloudEvents: modalities and tasks from the
 * taxonomy, vendors with a Zipf-like number of listings, Pareto-distributed downloads (a few models take most),
 * likes and ratings that follow downloads, licences, languages, frameworks, formats and price types in the
 * proportions public hubs show, and derived models pointing at popular base models. Deterministic for a seed.
 */
public final class ListingGenerator {

    /** A generated listing: the record key and value to publish, and what the benchmark needs to know of it. */
    public record Generated(String listingId, String id, String title, String cloudEvent, boolean searchable) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");

    static final Map<String, Double> MODALITIES = weights(
            "text",
            40,
            "image",
            25,
            "audio",
            10,
            "multimodal",
            10,
            "tabular",
            6,
            "video",
            5,
            "reinforcement-learning",
            4);
    static final Map<String, List<String>> TASKS = Map.of(
            "text",
                    List.of(
                            "text-generation",
                            "text-classification",
                            "token-classification",
                            "question-answering",
                            "sentence-similarity",
                            "fill-mask",
                            "summarization",
                            "translation",
                            "feature-extraction",
                            "zero-shot-classification"),
            "image",
                    List.of(
                            "image-classification",
                            "object-detection",
                            "image-segmentation",
                            "image-to-image",
                            "depth-estimation",
                            "image-feature-extraction",
                            "keypoint-detection"),
            "audio",
                    List.of(
                            "automatic-speech-recognition",
                            "text-to-speech",
                            "audio-classification",
                            "audio-to-audio",
                            "voice-activity-detection"),
            "multimodal",
                    List.of(
                            "text-to-image",
                            "image-to-text",
                            "visual-question-answering",
                            "document-question-answering",
                            "image-text-to-text"),
            "tabular", List.of("tabular-classification", "tabular-regression", "time-series-forecasting"),
            "video", List.of("video-classification", "text-to-video", "video-object-tracking"),
            "reinforcement-learning", List.of("reinforcement-learning", "robotics"));
    static final Map<String, String> TASK_PHRASES = Map.ofEntries(
            Map.entry("text-generation", "generating fluent text and following instructions"),
            Map.entry("text-classification", "classifying sentiment and topics of short texts"),
            Map.entry("token-classification", "named entity recognition"),
            Map.entry("question-answering", "extractive question answering over passages"),
            Map.entry("sentence-similarity", "semantic search and sentence embeddings"),
            Map.entry("fill-mask", "masked language modelling"),
            Map.entry("summarization", "summarizing news articles and reports"),
            Map.entry("translation", "translating between European languages"),
            Map.entry("feature-extraction", "extracting dense text features"),
            Map.entry("zero-shot-classification", "zero-shot topic classification"),
            Map.entry("image-classification", "classifying photos into everyday categories"),
            Map.entry("object-detection", "detecting and localizing objects in street scenes"),
            Map.entry("image-segmentation", "semantic segmentation of indoor and outdoor scenes"),
            Map.entry("image-to-image", "super-resolution and image restoration"),
            Map.entry("depth-estimation", "monocular depth estimation"),
            Map.entry("image-feature-extraction", "visual embeddings for retrieval"),
            Map.entry("keypoint-detection", "human pose keypoint detection"),
            Map.entry("automatic-speech-recognition", "transcribing speech in noisy recordings"),
            Map.entry("text-to-speech", "natural sounding speech synthesis"),
            Map.entry("audio-classification", "classifying environmental sounds"),
            Map.entry("audio-to-audio", "speech enhancement and source separation"),
            Map.entry("voice-activity-detection", "detecting speech segments"),
            Map.entry("text-to-image", "generating images from text prompts"),
            Map.entry("image-to-text", "captioning images"),
            Map.entry("visual-question-answering", "answering questions about images"),
            Map.entry("document-question-answering", "answering questions about scanned documents"),
            Map.entry("image-text-to-text", "chatting about images and documents"),
            Map.entry("tabular-classification", "churn and fraud classification on tabular data"),
            Map.entry("tabular-regression", "price and demand regression on tabular data"),
            Map.entry("time-series-forecasting", "forecasting sales and energy load"),
            Map.entry("video-classification", "recognizing actions in video clips"),
            Map.entry("text-to-video", "generating short video clips from text"),
            Map.entry("video-object-tracking", "tracking objects across video frames"),
            Map.entry("reinforcement-learning", "playing Atari games and continuous control"),
            Map.entry("robotics", "robot manipulation policies"));
    static final Map<String, List<String>> ARCHITECTURES = Map.of(
            "text",
                    List.of(
                            "Llama", "Mistral", "BERT", "RoBERTa", "DeBERTa", "T5", "GPT-2", "Qwen", "Phi", "MiniLM",
                            "Gemma", "Falcon", "ELECTRA", "XLM-R", "MPNet"),
            "image",
                    List.of(
                            "ResNet",
                            "ViT",
                            "ConvNeXt",
                            "EfficientNet",
                            "YOLO",
                            "DETR",
                            "Swin",
                            "SegFormer",
                            "DINOv2",
                            "MobileNet",
                            "Mask2Former",
                            "DPT"),
            "audio", List.of("Whisper", "Wav2Vec2", "HuBERT", "SpeechT5", "VITS", "AST", "Conformer"),
            "multimodal",
                    List.of("CLIP", "BLIP", "LLaVA", "Stable Diffusion", "Flux", "Idefics", "Donut", "Pix2Struct"),
            "tabular", List.of("XGBoost", "LightGBM", "TabNet", "CatBoost", "TabPFN"),
            "video", List.of("VideoMAE", "TimeSformer", "X-CLIP", "CogVideo"),
            "reinforcement-learning", List.of("PPO", "DQN", "SAC", "Decision Transformer"));
    static final List<String> SIZES =
            List.of("Tiny", "Small", "Base", "Medium", "Large", "XL", "7B", "13B", "1.5B", "3B");
    static final List<String> ADJECTIVES = List.of(
            "Nimbus",
            "Aurora",
            "Orion",
            "Polaris",
            "Zephyr",
            "Atlas",
            "Nova",
            "Vega",
            "Lyra",
            "Helix",
            "Quartz",
            "Ember",
            "Cobalt",
            "Sierra",
            "Tundra",
            "Maple",
            "Juniper",
            "Falcon",
            "Pioneer",
            "Summit",
            "Harbor",
            "Meridian",
            "Solstice",
            "Cascade",
            "Granite",
            "Willow",
            "Beacon",
            "Comet");
    static final Map<String, Double> LICENSES = weights(
            "apache-2.0",
            35,
            "mit",
            25,
            "cc-by-4.0",
            8,
            "cc-by-nc-4.0",
            6,
            "openrail",
            6,
            "llama3",
            4,
            "gpl-3.0",
            3,
            "bsd-3-clause",
            3,
            "other",
            5,
            "vendor-eula",
            5);
    static final Map<String, Double> LANGUAGES = weights(
            "en", 60, "zh", 8, "fr", 6, "de", 6, "es", 6, "ja", 4, "ru", 3, "pt", 3, "ko", 2, "ar", 2, "hi", 2, "it", 2,
            "nl", 1, "pl", 1, "tr", 1, "sv", 1);
    static final List<String> DATASETS = List.of(
            "imagenet-1k",
            "coco",
            "ade20k",
            "common-voice",
            "librispeech",
            "wikipedia",
            "c4",
            "the-pile",
            "squad",
            "glue",
            "laion-5b",
            "openwebtext",
            "kinetics-400",
            "mnist",
            "cityscapes",
            "nyu-depth-v2",
            "wmt19",
            "cnn-dailymail",
            "atari",
            "uci-adult");
    static final List<String> TAG_POOL = List.of(
            "vision",
            "nlp",
            "speech",
            "generative",
            "embedding",
            "edge",
            "quantized",
            "distilled",
            "instruction-tuned",
            "multilingual",
            "medical",
            "legal",
            "finance",
            "retail",
            "robotics",
            "chat",
            "code",
            "on-device",
            "research",
            "production");

    private final Random random;
    private final List<String> vendors;
    private final double[] vendorCumulative;
    private final List<Generated> popular = new ArrayList<>();
    private final Map<String, Integer> names = new LinkedHashMap<>();

    public ListingGenerator(long seed, int vendorCount) {
        this.random = new Random(seed);
        this.vendors = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        while (seen.size() < vendorCount) {
            seen.add(syllables(2 + random.nextInt(2))
                    + (random.nextInt(4) == 0 ? "-ai" : random.nextInt(5) == 0 ? "-labs" : ""));
        }
        vendors.addAll(seen);
        // Zipf(1.1): a few vendors publish hundreds of listings, most a handful
        vendorCumulative = new double[vendorCount];
        double sum = 0;
        for (int i = 0; i < vendorCount; i++) {
            sum += 1.0 / Math.pow(i + 1, 1.1);
            vendorCumulative[i] = sum;
        }
        for (int i = 0; i < vendorCount; i++) {
            vendorCumulative[i] /= sum;
        }
    }

    /** The next listing, published (version 1..4) or, for about 8 %, private, unlisted or a draft. */
    public Generated next() {
        return next(null);
    }

    /** The next public, published listing, with {@code extraTag} among its tags (the freshness probe finds it by it). */
    public Generated nextSearchable(String extraTag) {
        Generated generated;
        do {
            generated = next(extraTag);
        } while (!generated.searchable());
        return generated;
    }

    private Generated next(String extraTag) {
        String vendor = vendors.get(index(vendorCumulative, random.nextDouble()));
        String modality = pick(MODALITIES);
        List<String> tasks = TASKS.get(modality);
        String task = tasks.get(zipfIndex(tasks.size(), 1.0));
        List<String> architectures = ARCHITECTURES.get(modality);
        String architecture = architectures.get(zipfIndex(architectures.size(), 0.8));
        String size = SIZES.get(random.nextInt(SIZES.size()));
        String adjective = ADJECTIVES.get(random.nextInt(ADJECTIVES.size()));
        String title = adjective + " " + architecture + " " + size + " " + titleTask(task);
        String base = slug(architecture + "-" + size + "-" + task.split("-")[0]);
        int seen = names.merge(vendor + "/" + base, 1, Integer::sum);
        String name = seen == 1 ? base : base + "-v" + seen;
        String dataset = DATASETS.get(random.nextInt(DATASETS.size()));

        // downloads: Pareto(alpha 1.1) scaled, a long tail of near-zero and a few in the millions
        long downloads = Math.min(50_000_000L, (long) (3 / Math.pow(1 - random.nextDouble(), 1 / 1.1)) - 3);
        long downloads30d = (long) (downloads * (0.05 + 0.3 * random.nextDouble()));
        long downloads7d = (long) (downloads30d * (0.1 + 0.4 * random.nextDouble()));
        long likes = (long) (Math.pow(downloads, 0.6) * random.nextDouble() * 0.6);
        long ratingCount = random.nextInt(3) == 0 ? 0 : (long) (Math.pow(downloads, 0.4) * random.nextDouble());
        double rating = ratingCount == 0
                ? 0.0
                : Math.round(Math.max(1, Math.min(5, 4.0 + random.nextGaussian() * 0.6)) * 10) / 10.0;
        String priceType = pick(weights("free", 85, "paid", 10, "trial", 5));
        String license =
                "free".equals(priceType) ? pick(LICENSES) : random.nextBoolean() ? "vendor-eula" : pick(LICENSES);

        Set<String> languages = new LinkedHashSet<>();
        if (modality.equals("text") || modality.equals("audio") || modality.equals("multimodal")) {
            languages.add(random.nextInt(10) < 8 ? "en" : pick(LANGUAGES));
            int extra = random.nextInt(6) == 0 ? 1 + random.nextInt(8) : 0;
            for (int i = 0; i < extra; i++) {
                languages.add(pick(LANGUAGES));
            }
        } else if (random.nextInt(4) == 0) {
            languages.add("en");
        }
        Set<String> frameworks = new LinkedHashSet<>();
        if (modality.equals("tabular")) {
            frameworks.add(random.nextBoolean() ? "sklearn" : "xgboost");
        } else {
            frameworks.add(
                    pick(weights("pytorch", 70, "tensorflow", 12, "jax", 6, "keras", 5, "paddlepaddle", 2, "mlx", 5)));
            if (modality.equals("text") || modality.equals("multimodal") || random.nextInt(3) == 0) {
                frameworks.add("transformers");
            }
            if (random.nextInt(10) == 0) {
                frameworks.add("onnxruntime");
            }
        }
        Set<String> formats = new LinkedHashSet<>();
        formats.add(
                modality.equals("tabular")
                        ? "pickle"
                        : pick(weights(
                                "safetensors", 55, "pytorch-bin", 25, "onnx", 8, "h5", 5, "tflite", 4, "coreml", 3)));
        if (task.equals("text-generation") && random.nextInt(5) < 2) {
            formats.add("gguf");
        }
        if (random.nextInt(8) == 0) {
            formats.add("onnx");
        }
        Set<String> tags = new LinkedHashSet<>();
        int tagCount = random.nextInt(4);
        for (int i = 0; i < tagCount; i++) {
            tags.add(TAG_POOL.get(zipfIndex(TAG_POOL.size(), 0.9)));
        }
        tags.add(architecture.toLowerCase(Locale.ROOT).replace(' ', '-'));
        if (extraTag != null) {
            tags.add(extraTag);
        }

        String baseModel = null;
        if (!popular.isEmpty() && random.nextInt(10) < 3) {
            Generated parent = popular.get(zipfIndex(popular.size(), 1.0));
            baseModel = parent.id();
        }
        Instant created = NOW.minus(Duration.ofMinutes(random.nextLong(3L * 365 * 24 * 60)));
        Instant published = created.plus(Duration.ofMinutes(random.nextLong(7L * 24 * 60)));
        if (published.isAfter(NOW)) {
            published = NOW;
        }
        Instant updated = published.plus(Duration.ofSeconds((long) (random.nextDouble()
                * Math.max(1, Duration.between(published, NOW).toSeconds()))));
        int roll = random.nextInt(100);
        String visibility = roll < 3 ? "private" : roll < 5 ? "unlisted" : "public";
        String status = roll >= 5 && roll < 8 ? "draft" : "published";
        long aggregateVersion = 1 + random.nextInt(4);

        String listingId = new UUID(random.nextLong(), random.nextLong()).toString();
        String id = vendor + "/" + name;
        String summary = "A " + size.toLowerCase(Locale.ROOT) + " " + architecture + " model for "
                + TASK_PHRASES.get(task) + ", trained on " + dataset + ".";
        String card = "# " + title + "\n\n" + summary + "\n\n## Intended uses\n" + capitalize(TASK_PHRASES.get(task))
                + ". Not evaluated for safety-critical decisions.\n\n## Training data\n" + dataset
                + (baseModel != null ? ", fine-tuned from " + baseModel : "")
                + ".\n\n## Evaluation\n| metric | value |\n| accuracy | "
                + String.format(Locale.ROOT, "%.1f", 60 + random.nextDouble() * 39) + " |\n";

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("listingId", listingId);
        data.put("id", id);
        data.put("namespace", vendor);
        data.put("name", name);
        data.put("title", title);
        data.put("summary", summary);
        data.put("modality", modality);
        data.put("task", task);
        data.put("license", license);
        data.put("tags", List.copyOf(tags));
        data.put("languages", List.copyOf(languages));
        data.put("frameworks", List.copyOf(frameworks));
        data.put("formats", List.copyOf(formats));
        data.put("datasets", List.of(dataset));
        data.put("baseModel", baseModel);
        data.put("gated", random.nextInt(100) < 8);
        data.put("modelCard", card);
        data.put("successor", null);
        data.put(
                "vendor",
                Map.of(
                        "namespace",
                        vendor,
                        "displayName",
                        capitalize(vendor.replace('-', ' ')),
                        "verified",
                        random.nextInt(5) == 0));
        data.put(
                "stats",
                Map.of(
                        "downloads",
                        downloads,
                        "downloads30d",
                        downloads30d,
                        "downloads7d",
                        downloads7d,
                        "likes",
                        likes,
                        "rating",
                        rating,
                        "ratingCount",
                        ratingCount,
                        "subscribers",
                        "free".equals(priceType) ? 0 : (long) (downloads * 0.01 * random.nextDouble())));
        data.put("priceType", priceType);
        data.put("visibility", visibility);
        data.put("status", status);
        data.put("owners", List.of(new UUID(vendor.hashCode(), 7).toString()));
        data.put("version", aggregateVersion);
        data.put("createdAt", created.toString());
        data.put("updatedAt", updated.toString());
        data.put("publishedAt", "published".equals(status) ? published.toString() : null);

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", new UUID(random.nextLong(), random.nextLong()).toString());
        event.put("source", "/catalog-service");
        event.put("type", "org.modelmarket.catalog.ListingChanged");
        event.put("subject", listingId);
        event.put("time", updated.toString());
        event.put("datacontenttype", "application/json");
        event.put("aggregateversion", aggregateVersion);
        event.put("data", data);
        boolean searchable = "public".equals(visibility) && "published".equals(status);
        Generated generated;
        try {
            generated = new Generated(listingId, id, title, MAPPER.writeValueAsString(event), searchable);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (searchable && downloads > 1000 && popular.size() < 2000) {
            popular.add(generated);
        }
        return generated;
    }

    private String pick(Map<String, Double> weights) {
        double total =
                weights.values().stream().mapToDouble(Double::doubleValue).sum();
        double roll = random.nextDouble() * total;
        for (Map.Entry<String, Double> entry : weights.entrySet()) {
            roll -= entry.getValue();
            if (roll <= 0) {
                return entry.getKey();
            }
        }
        return weights.keySet().iterator().next();
    }

    private int zipfIndex(int n, double s) {
        double total = 0;
        for (int i = 1; i <= n; i++) {
            total += 1 / Math.pow(i, s);
        }
        double roll = random.nextDouble() * total;
        for (int i = 1; i <= n; i++) {
            roll -= 1 / Math.pow(i, s);
            if (roll <= 0) {
                return i - 1;
            }
        }
        return n - 1;
    }

    private static int index(double[] cumulative, double roll) {
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cumulative[mid] < roll) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private String syllables(int count) {
        String[] parts = {
            "ka", "lo", "mi", "ra", "ne", "to", "vi", "sa", "po", "lu", "de", "zen", "mar", "qua", "tri", "bel", "cor",
            "dax", "fen", "gal", "hex", "ion", "jun", "kor", "lum", "nyx", "orb", "pix", "rho", "sol"
        };
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < count; i++) {
            name.append(parts[random.nextInt(parts.length)]);
        }
        return name.toString();
    }

    private static String titleTask(String task) {
        return switch (task) {
            case "automatic-speech-recognition" -> "Speech Recognizer";
            case "text-to-speech" -> "Speech Synthesizer";
            case "text-generation" -> "Instruct";
            default -> capitalize(task.replace('-', ' '));
        };
    }

    private static String slug(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("^-|-$", "");
    }

    private static String capitalize(String text) {
        StringBuilder out = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!word.isEmpty()) {
                out.append(out.isEmpty() ? "" : " ")
                        .append(Character.toUpperCase(word.charAt(0)))
                        .append(word.substring(1));
            }
        }
        return out.toString();
    }

    private static Map<String, Double> weights(Object... pairs) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            weights.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        }
        return weights;
    }
}
