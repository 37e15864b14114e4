package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A lookup table of learned vectors, PyTorch's {@code nn.Embedding(vocab, dim, padding_idx)}: a
 * sample of token ids {@code [time]} (whole numbers in {@code [0, vocab)}, held as floats like all
 * data) becomes {@code [time, dim]}, row {@code id} of {@code weight [vocab, dim]} for each id.
 *
 * <p>Forward gathers rows ({@link Backend#gatherRows}); backward adds each position's gradient
 * into the row of its id ({@link Backend#scatterAddRows}), so an id that occurs several times in a
 * batch collects all its gradients, and ids that do not occur get zero. With a padding index, that
 * row starts at zero and never receives a gradient, so padded positions change nothing (as in
 * PyTorch). The weights start from N(0, 1), as PyTorch's do. Ids have no gradient: the gradient
 * returned for the input is zero.
 */
public final class Embedding implements Layer {
    private final int vocab;
    private final int dim;
    private final int paddingIndex;

    private Backend be;
    private Parameter weight;
    private BatchBuffer out;
    private BatchBuffer dx;
    private float[] idValues = new float[0];
    private int[] ids = new int[0];
    private int[] gradientRows = new int[0];
    private boolean inputGradientNeeded = true;
    private int lastCount;
    private final ViewCache outRows = new ViewCache();
    private final ViewCache gradientRowsView = new ViewCache();

    /**
     * {@code vocab} ids, each a vector of {@code dim}; no padding index.
     *
     * @param vocab the number of token ids, at least 1: ids run from 0 to {@code vocab - 1}
     * @param dim   the length of each id's vector, at least 1
     */
    public Embedding(int vocab, int dim) {
        this(vocab, dim, -1);
    }

    /**
     * PyTorch's {@code nn.Embedding(vocab, dim, padding_idx=paddingIndex)}.
     *
     * @param vocab        the number of token ids, at least 1: ids run from 0 to {@code vocab - 1}
     * @param dim          the length of each id's vector, at least 1
     * @param paddingIndex the id of padding, whose vector stays zero and gets no gradient; -1 for none
     * @throws IllegalArgumentException if a size is below 1 or {@code paddingIndex} is not an id or -1
     */
    public Embedding(int vocab, int dim, int paddingIndex) {
        if (vocab <= 0 || dim <= 0) {
            throw new IllegalArgumentException("embedding: vocabulary size and dimension must be positive, got "
                    + vocab + " and " + dim);
        }
        if (paddingIndex < -1 || paddingIndex >= vocab) {
            throw new IllegalArgumentException("embedding: padding index " + paddingIndex + " is not an id in [0, " + vocab
                    + ") (or -1 for none)");
        }
        this.vocab = vocab;
        this.dim = dim;
        this.paddingIndex = paddingIndex;
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: {@code num_embeddings} and {@code embedding_dim}, and optionally {@code padding_idx}
     * @return a new, unbuilt embedding
     * @throws IllegalArgumentException if a required key is missing or a value is out of range
     */
    public static Embedding fromConfig(Map<String, ?> c) {
        return new Embedding(Configs.intValue(c, "embedding", "num_embeddings"), Configs.intValue(c, "embedding", "embedding_dim"),
                c.containsKey("padding_idx") ? Configs.intValue(c, "embedding", "padding_idx") : -1);
    }

    @Override
    public String type() {
        return "embedding";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("num_embeddings", vocab);
        c.put("embedding_dim", dim);
        if (paddingIndex >= 0) {
            c.put("padding_idx", paddingIndex);
        }
        return c;
    }

    /**
     * The number of token ids.
     *
     * @return {@code vocab}: valid ids run from 0 to {@code vocab - 1}
     */
    public int vocabularySize() {
        return vocab;
    }

    /**
     * The length of each id's vector.
     *
     * @return {@code dim}, the size of the last output dimension
     */
    public int dimension() {
        return dim;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 1) {
            throw new LayerShapeException("[time] (a sequence of token ids)", in,
                    "give each sample as a flat sequence of ids; an embedding comes first in a model");
        }
        return Shape.of(in.dim(0), dim);
    }

    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        return Optional.of(Map.of("weight", new int[] {vocab, dim}));
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        outputShape(inputShape);
        be = backend;
        weight = new Parameter("weight", backend, Shape.of(vocab, dim));
        backend.randomNormal(seed, 0f, 1f, weight.value());
        if (paddingIndex >= 0) {
            backend.fill(weight.value().rows(paddingIndex, paddingIndex + 1), 0f);
        }
        out = new BatchBuffer(backend, outputShape(inputShape));
        dx = new BatchBuffer(backend, inputShape);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = x.size();
        if (idValues.length < n) {
            idValues = new float[n];
            ids = new int[n];
            gradientRows = new int[n];
        }
        be.read(x, idValues, 0);
        for (int i = 0; i < n; i++) {
            float v = idValues[i];
            int id = (int) v;
            if (id != v || id < 0 || id >= vocab) {
                throw new IllegalArgumentException("embedding: sample " + i / x.dim(1) + ", position " + i % x.dim(1)
                        + " holds " + v + ", which is not a token id in [0, " + vocab + "); make the vocabulary at least "
                        + (id >= vocab && id == v ? id + 1 : vocab) + " or fix the data");
            }
            ids[i] = id;
            gradientRows[i] = id == paddingIndex ? -1 : id;
        }
        lastCount = n;
        Tensor y = out.get(x.dim(0));
        be.gatherRows(weight.value(), ids, 0, outRows.rows(y, n, dim));
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        be.fill(weight.grad(), 0f);
        be.scatterAddRows(gradientRowsView.rows(dOut, lastCount, dim), gradientRows, 0, weight.grad());
        if (!inputGradientNeeded) {
            return null;
        }
        Tensor d = dx.get(dOut.dim(0));
        be.fill(d, 0f);
        return d;
    }

    @Override
    public List<Parameter> parameters() {
        return weight == null ? List.of() : List.of(weight);
    }

    @Override
    public long parameterCount() {
        return (long) vocab * dim;
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
    }

    @Override
    public String toString() {
        return "Embedding(" + vocab + ", " + dim + (paddingIndex >= 0 ? ", padding " + paddingIndex : "") + ")";
    }
}
