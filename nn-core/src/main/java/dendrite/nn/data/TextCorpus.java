package dendrite.nn.data;

import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A text as a sequence of tokens for a language model: its vocabulary and each token's id in it.
 * {@link #of} and {@link #read} make characters (Unicode code points) the tokens, every distinct one
 * in the vocabulary in code-point order; {@link #words} makes words and punctuation the tokens, the
 * most frequent ones in the vocabulary and {@link #UNKNOWN} for the rest.
 *
 * <p>{@link #windows} makes the supervised set: sample i is {@code window} ids starting at
 * {@code i * stride}, and its class is the id of the character right after them, so a model learns
 * to predict the next character. The vocabulary becomes the set's class names, so a saved model
 * knows which character each output is. Windows follow the text, so split them with
 * {@link Splits#chronological}: later text validates what earlier text trained.
 *
 * <pre>{@code
 * TextCorpus text = TextCorpus.read(Path.of("/usr/share/dict/words"));
 * Dataset windows = text.windows(32, 3);                    // 32 characters -> the next one
 * DataSplit split = Splits.chronological(windows, 0.1, 0.1);
 * }</pre>
 */
public final class TextCorpus {
    /** The vocabulary's word (id 0) for the words it leaves out. */
    public static final String UNKNOWN = "<unk>";
    /** A word-level text's tokens: runs of letters, digits and apostrophes; each other visible character; line breaks. */
    private static final java.util.regex.Pattern TOKEN =
            java.util.regex.Pattern.compile("[\\p{L}\\p{N}']+|[^\\p{L}\\p{N}'\\s]|\\n");

    private final String name;
    private final List<String> vocabulary;
    private final int[] ids;

    private TextCorpus(String name, List<String> vocabulary, int[] ids) {
        this.name = name;
        this.vocabulary = List.copyOf(vocabulary);
        this.ids = ids;
    }

    /**
     * The characters of {@code text}.
     *
     * @param name the corpus's name, used in messages and in the names of its window datasets
     * @param text the text; every code point is a token, line breaks included
     * @return a new character-level corpus whose vocabulary is the text's distinct code points, in code-point order
     */
    public static TextCorpus of(String name, String text) {
        int[] codePoints = text.codePoints().toArray();
        TreeSet<Integer> distinct = new TreeSet<>();
        for (int c : codePoints) {
            distinct.add(c);
        }
        List<String> vocabulary = new ArrayList<>(distinct.size());
        int[] idOf = new int[distinct.isEmpty() ? 0 : distinct.last() + 1];
        for (int c : distinct) {
            idOf[c] = vocabulary.size();
            vocabulary.add(new String(Character.toChars(c)));
        }
        int[] ids = new int[codePoints.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = idOf[codePoints[i]];
        }
        return new TextCorpus(name, vocabulary, ids);
    }

    /**
     * The words of {@code text}: tokens are runs of letters, digits and apostrophes, every other
     * visible character alone (punctuation), and line breaks; the vocabulary is {@link #UNKNOWN}
     * then the {@code maxVocabulary - 1} most frequent tokens (ties in {@code String} order), and a token
     * outside it becomes {@link #UNKNOWN}.
     *
     * @param name the corpus's name, used in messages and in the names of its window datasets
     * @param text the text to split into tokens; blanks other than line breaks only separate tokens
     * @param maxVocabulary the largest vocabulary, {@link #UNKNOWN} included, at least 2
     * @return a new word-level corpus whose vocabulary is {@link #UNKNOWN} (id 0), then the kept tokens from the
     *         most frequent down
     * @throws IllegalArgumentException when {@code maxVocabulary} is below 2
     */
    public static TextCorpus words(String name, String text, int maxVocabulary) {
        if (maxVocabulary < 2) {
            throw new IllegalArgumentException("text " + name + ": a word vocabulary needs at least 2 entries, got "
                    + maxVocabulary);
        }
        List<String> tokens = new ArrayList<>();
        java.util.regex.Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            tokens.add(m.group());
        }
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        for (String t : tokens) {
            counts.merge(t, 1, Integer::sum);
        }
        List<String> byFrequency = new ArrayList<>(counts.keySet());
        byFrequency.sort((a, b) -> counts.get(a).equals(counts.get(b)) ? a.compareTo(b) : counts.get(b) - counts.get(a));
        List<String> vocabulary = new ArrayList<>();
        vocabulary.add(UNKNOWN);
        vocabulary.addAll(byFrequency.subList(0, Math.min(byFrequency.size(), maxVocabulary - 1)));
        java.util.Map<String, Integer> idOf = new java.util.HashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            idOf.put(vocabulary.get(i), i);
        }
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = idOf.getOrDefault(tokens.get(i), 0);
        }
        return new TextCorpus(name, vocabulary, ids);
    }

    /**
     * Text from tokens of {@link #words}: words apart by spaces, punctuation against the word before it.
     *
     * @param tokens the tokens in order, e.g. from {@link #tokens()} or a model's generated ids; none empty
     * @return the text, with no space at the start or after a line break
     */
    public static String joinWords(List<String> tokens) {
        StringBuilder sb = new StringBuilder();
        for (String t : tokens) {
            if (t.isEmpty()) {
                continue;
            }
            boolean word = Character.isLetterOrDigit(t.codePointAt(0)) || t.equals(UNKNOWN);
            if (word && sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') {
                sb.append(' ');
            }
            sb.append(t);
        }
        return sb.toString();
    }

    /**
     * A UTF-8 file's text, refused with the byte offset of the first bytes that are not UTF-8.
     *
     * @param file the file to read, whole, into memory
     * @return the decoded text
     * @throws DatasetFormatException naming the file and the byte offset when it is not valid UTF-8
     * @throws IOException if the file cannot be read
     */
    public static String readUtf8(Path file) throws IOException {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(Files.readAllBytes(file));
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(in.remaining());
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        java.nio.charset.CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw DatasetFormatException.atOffset(file.toString(), in.position(), "not UTF-8 text: " + result.length()
                    + " byte(s) that are no character");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /**
     * A UTF-8 file's characters.
     *
     * @param file the file to read, whole, into memory
     * @return a new character-level corpus, as {@link #of}, named after the file (its whole file name)
     * @throws DatasetFormatException naming the file when it is not valid UTF-8
     * @throws IOException if the file cannot be read
     */
    public static TextCorpus read(Path file) throws IOException {
        return of(file.getFileName().toString(), readUtf8(file));
    }

    /**
     * The corpus's name.
     *
     * @return the name given to {@link #of} or {@link #words}, or the file name for {@link #read}
     */
    public String name() {
        return name;
    }

    /**
     * The distinct characters, in code-point order; a character's id is its index here.
     *
     * @return an unmodifiable list of the tokens, index = id; for a {@link #words} corpus, {@link #UNKNOWN}
     *         then the words from the most frequent down
     */
    public List<String> vocabulary() {
        return vocabulary;
    }

    /**
     * The number of tokens (characters, or words and punctuation).
     *
     * @return the number of tokens in the text, {@code >= 0}
     */
    public int length() {
        return ids.length;
    }

    /**
     * The text's tokens in order, as vocabulary entries ({@link #UNKNOWN} for words left out).
     *
     * @return a new list of {@link #length()} tokens
     */
    public List<String> tokens() {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(vocabulary.get(id));
        }
        return out;
    }

    /**
     * Each token's id, in text order (a copy).
     *
     * @return a new array of {@link #length()} ids, each an index into {@link #vocabulary()}
     */
    public int[] ids() {
        return ids.clone();
    }

    /**
     * Next-character samples: {@code window} ids from every {@code stride}-th position, each with the
     * id of the character after them as its class.
     *
     * @param window the number of tokens in each sample, at least 1
     * @param stride the distance in tokens between the starts of consecutive samples, at least 1 (1: every
     *        position)
     * @return a new classification dataset in text order: samples of shape {@code [window]} holding ids as floats,
     *         one class per vocabulary entry, the vocabulary as class names
     * @throws IllegalArgumentException for a window or stride below 1, or a text too short for one sample
     */
    public Dataset windows(int window, int stride) {
        if (window < 1 || stride < 1) {
            throw new IllegalArgumentException("text " + name + ": window " + window + " and stride " + stride
                    + " must both be at least 1");
        }
        int samples = ids.length <= window ? 0 : (ids.length - window - 1) / stride + 1;
        if (samples < 1) {
            throw new IllegalArgumentException("text " + name + ": " + ids.length + " characters are too few for a window of "
                    + window + " and the character after it");
        }
        float[] x = new float[samples * window];
        int[] y = new int[samples];
        for (int i = 0; i < samples; i++) {
            int start = i * stride;
            for (int t = 0; t < window; t++) {
                x[i * window + t] = ids[start + t];
            }
            y[i] = ids[start + window];
        }
        return Dataset.classification(name + " (window " + window + ")", x, new int[] {window}, y, vocabulary.size(),
                vocabulary);
    }

    /**
     * The cross-entropy (nats per character) on {@code test}'s samples of a bigram model counted on
     * {@code train}'s (each sample's last character followed by its class), with add-one smoothing:
     * the baseline a character model must beat, since it knows only the previous character.
     *
     * @param train windows of a corpus ({@link #windows}) to count the bigrams on
     * @param test windows of the same corpus and window length to score; at least one sample
     * @return the mean negative log-likelihood per sample, in nats ({@code >= 0})
     */
    public static double bigramCrossEntropy(Dataset train, Dataset test) {
        int v = train.numClasses();
        int window = train.sampleSize();
        double[] counts = new double[v * v];
        double[] totals = new double[v];
        float[] x = train.features();
        for (int i = 0; i < train.size(); i++) {
            int prev = (int) x[i * window + window - 1];
            counts[prev * v + train.label(i)]++;
            totals[prev]++;
        }
        float[] tx = test.features();
        double sum = 0;
        for (int i = 0; i < test.size(); i++) {
            int prev = (int) tx[i * window + window - 1];
            sum -= Math.log((counts[prev * v + test.label(i)] + 1) / (totals[prev] + v));
        }
        return sum / test.size();
    }

    @Override
    public String toString() {
        return "TextCorpus[" + name + ", " + ids.length + " characters, " + vocabulary.size() + " distinct]";
    }
}
