package dendrite.cli;

import dendrite.nn.Sequential;
import dendrite.tensor.Backend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dendrite sample <model>}: text from a model that {@code train --dataset text:...} made, of
 * characters or (trained with {@code --tokens words}) of words. The model reads the last
 * {@code window} tokens and gives a probability for each next one; a token is drawn from them
 * (sharpened or flattened by the temperature: probabilities to the power 1/T, renormalized),
 * appended, and the window moves on. Seeded, so the same seed gives the same text.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Generate text with a model trained on text:<file>, of characters or (--tokens words) of words.")
final class SampleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgument modelArgument;

    @Option(names = "--length", paramLabel = "<tokens>", defaultValue = "200",
            description = "Tokens to generate: characters, or words for a model of words (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", paramLabel = "<t>", defaultValue = "0.8",
            description = "Below 1 picks likely characters more often, above 1 less (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--prime", paramLabel = "<text>",
            description = "Text to start from (default: a line break, or the first character the model knows).")
    String prime;

    @Option(names = "--seed", paramLabel = "<n>", defaultValue = "42", description = "Seed of the draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--backend", paramLabel = "<name>", description = "scalar, vector or opencl (default: the best available).")
    String backend;

    @Mixin
    Verbosity verbosity;

    @Override
    public Integer call() throws IOException {
        Path modelFile = modelArgument.file();
        ModelStore.requireFile(modelFile);
        if (length < 1 || length > 1_000_000) {
            throw new BadInputException("--length " + length + ": must be from 1 to 1000000");
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new BadInputException("--temperature " + temperature + ": must be a positive number");
        }
        Backend be = BackendChoice.resolve(backend);
        ModelStore.Loaded loaded = ModelStore.load(modelFile, be);
        Sequential model = loaded.model();
        List<String> vocabulary = loaded.info().classNames();
        int window = model.inputShape().size();
        if (!loaded.info().classification() || loaded.info().window() == null || loaded.info().horizon() != null
                || vocabulary.size() != model.outputShape().size()) {
            throw new BadInputException("model " + modelFile + " is not a character model (train one with --dataset"
                    + " text:<file>)");
        }
        boolean words = loaded.info().wordVocabulary() != null;
        float[] context = new float[window];
        String start = prime != null ? prime : vocabulary.contains("\n") ? "\n" : vocabulary.get(0);
        int[] startIds = words ? wordIds(vocabulary, start) : start.codePoints().map(c -> idOf(vocabulary, c)).toArray();
        if (startIds.length == 0) {
            throw new BadInputException("--prime '" + start + "' holds no token");
        }
        // Before the prime, the window holds its first character repeated: the model never saw padding.
        for (int t = 0; t < window; t++) {
            int k = startIds.length - window + t;
            context[t] = startIds[Math.max(0, k)];
        }
        List<String> generated = new java.util.ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] weights = new double[vocabulary.size()];
        for (int i = 0; i < length; i++) {
            float[] p = model.predictProba(context, 1);
            double sum = 0;
            for (int c = 0; c < weights.length; c++) {
                weights[c] = Math.pow(Math.max(p[c], 0), 1 / temperature);
                sum += weights[c];
            }
            double u = rnd.nextDouble() * sum;
            int next = weights.length - 1;
            for (int c = 0; c < weights.length; c++) {
                u -= weights[c];
                if (u < 0) {
                    next = c;
                    break;
                }
            }
            generated.add(vocabulary.get(next));
            System.arraycopy(context, 1, context, 0, window - 1);
            context[window - 1] = next;
        }
        String text = start + (words ? (start.endsWith("\n") ? "" : " ") + dendrite.nn.data.TextCorpus.joinWords(generated)
                : String.join("", generated));
        PrintWriter out = spec.commandLine().getOut();
        out.println(text);
        out.flush();
        return 0;
    }

    /** The prime's words as ids, a word outside the vocabulary as {@code <unk>}. */
    private static int[] wordIds(List<String> vocabulary, String prime) {
        List<String> tokens = dendrite.nn.data.TextCorpus.words("prime", prime, Integer.MAX_VALUE).tokens();
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Math.max(0, vocabulary.indexOf(tokens.get(i)));
        }
        return ids;
    }

    private static int idOf(List<String> vocabulary, int codePoint) {
        int id = vocabulary.indexOf(new String(Character.toChars(codePoint)));
        if (id < 0) {
            throw new BadInputException("--prime: the model never saw '" + new String(Character.toChars(codePoint))
                    + "' (U+" + Integer.toHexString(codePoint).toUpperCase(java.util.Locale.ROOT) + ")");
        }
        return id;
    }
}
