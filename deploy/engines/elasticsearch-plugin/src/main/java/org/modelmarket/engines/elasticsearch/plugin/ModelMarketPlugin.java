package org.modelmarket.engines.elasticsearch.plugin;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.util.SetOnce;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestHandler;

/**
 * Restores, on top of Lucene's lucene-analysis-common, the parts of Elasticsearch's unpublished analysis-common and
 * rest-root modules that ModelMarket relies on: the {@code english} analyzer, the {@code asciifolding},
 * {@code porter_stem} and {@code edge_ngram} token filters, and {@code GET /} / {@code HEAD /}.
 */
public class ModelMarketPlugin extends Plugin implements AnalysisPlugin, ActionPlugin {

    // Set when the node builds its components; the root handler reads it per request, after the node started.
    private final SetOnce<ClusterService> clusterService = new SetOnce<>();

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService.set(services.clusterService());
        return List.of();
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of("english", (indexSettings, environment, name, settings) -> {
            // Same chain as analysis-common's english analyzer: standard tokenizer, english possessive, lowercase,
            // english stop words, porter stemmer; stopwords and stem_exclusion stay configurable as there.
            CharArraySet stopWords =
                    Analysis.parseStopWords(environment, settings, EnglishAnalyzer.getDefaultStopSet());
            CharArraySet stemExclusion = Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET);
            EnglishAnalyzer analyzer = new EnglishAnalyzer(stopWords, stemExclusion);
            return new AbstractIndexAnalyzerProvider<EnglishAnalyzer>(name) {
                @Override
                public EnglishAnalyzer get() {
                    return analyzer;
                }
            };
        });
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
                "asciifolding",
                        (indexSettings, environment, name, settings) -> {
                            boolean preserveOriginal = settings.getAsBoolean("preserve_original", false);
                            return new FoldingFactory(name, preserveOriginal);
                        },
                "porter_stem", (indexSettings, environment, name, settings) -> filter(name, PorterStemFilter::new),
                "edge_ngram",
                        (indexSettings, environment, name, settings) -> {
                            int minGram = settings.getAsInt("min_gram", 1);
                            int maxGram = settings.getAsInt("max_gram", 2);
                            boolean preserveOriginal = settings.getAsBoolean("preserve_original", false);
                            return new AbstractTokenFilterFactory(name) {
                                @Override
                                public TokenStream create(TokenStream input) {
                                    return new EdgeNGramTokenFilter(input, minGram, maxGram, preserveOriginal);
                                }

                                @Override
                                public boolean breaksFastVectorHighlighter() {
                                    return true; // grams overlap their source token's offsets
                                }
                            };
                        });
    }

    // Pre-configured too, so that a custom analyzer can list "asciifolding" or "porter_stem" without defining them.
    @Override
    public List<PreConfiguredTokenFilter> getPreConfiguredTokenFilters() {
        return List.of(
                PreConfiguredTokenFilter.singleton("asciifolding", true, input -> new ASCIIFoldingFilter(input)),
                PreConfiguredTokenFilter.singleton("porter_stem", false, PorterStemFilter::new));
    }

    @Override
    public Collection<RestHandler> getRestHandlers(
            RestHandlersServices services,
            Supplier<DiscoveryNodes> nodesInCluster,
            Predicate<NodeFeature> clusterSupportsFeature) {
        return List.of(new RestRootAction(clusterService::get));
    }

    private static TokenFilterFactory filter(String name, java.util.function.UnaryOperator<TokenStream> create) {
        return new AbstractTokenFilterFactory(name) {
            @Override
            public TokenStream create(TokenStream input) {
                return create.apply(input);
            }
        };
    }

    /** asciifolding also serves normalizers (keyword fields), where keeping the original token makes no sense. */
    private static final class FoldingFactory extends AbstractTokenFilterFactory
            implements NormalizingTokenFilterFactory {

        private final boolean preserveOriginal;

        FoldingFactory(String name, boolean preserveOriginal) {
            super(name);
            this.preserveOriginal = preserveOriginal;
        }

        @Override
        public TokenStream create(TokenStream input) {
            return new ASCIIFoldingFilter(input, preserveOriginal);
        }

        @Override
        public TokenStream normalize(TokenStream input) {
            return new ASCIIFoldingFilter(input, false);
        }
    }
}
