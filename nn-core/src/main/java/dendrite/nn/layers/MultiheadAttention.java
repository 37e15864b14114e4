package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Multi-head self-attention, as PyTorch's {@code nn.MultiheadAttention(embed_dim, num_heads, dropout,
 * bias, batch_first=True)} called with the layer's input as query, key and value.
 *
 * <h2>Layout and parameters</h2>
 * Input and output {@code [batch, steps, embed]}. Parameters by PyTorch's names and layouts:
 * {@code in_proj_weight [3E, E]} (the query, key and value projections stacked),
 * {@code in_proj_bias [3E]}, {@code out_proj.weight [E, E]}, {@code out_proj.bias [E]} (the biases
 * only with {@code bias}), so a state dict interchanges with PyTorch's unchanged. They start as
 * PyTorch's do: the input projection Xavier-uniform over {@code [3E, E]}, the output projection
 * uniform in {@code [-1/sqrt(E), 1/sqrt(E)]}, the biases zero.
 *
 * <h2>Forward</h2>
 * With {@code H} heads of {@code d = E / H} values:
 * <pre>
 *   [Q K V] = x W_in^T + b_in                       one linear, then split into heads
 *   S_h = Q_h K_h^T / sqrt(d) + mask                 one batched product for every sample and head
 *   P_h = softmax(S_h) (each row)                    a row that sees no key: zeros
 *   P'_h = P_h * M_h                                 in training with dropout: M_h 0 or 1 / (1 - p)
 *   O_h = P'_h V_h                                   one batched product (P' = P without dropout)
 *   y = [O_1 ... O_H] W_out^T + b_out                the heads side by side, one linear
 * </pre>
 * The heads are moved between the step-major order of the projections and the head-major order of
 * the batched products by row gathers ({@link HeadLayout}). The mask ({@link AttentionMask}) hides
 * future steps with {@link #causal()}, and, with {@link #masksZeroSteps()}, padding steps (all-zero
 * inputs) as keys, as PyTorch's {@code key_padding_mask} does; a padding step's own output is still
 * computed from the real steps, as PyTorch's is.
 *
 * <h2>Backward</h2>
 * The same steps in reverse, each a product's or a softmax's textbook gradient:
 * <pre>
 *   dW_out = dy^T [O],  db_out = sum dy,  d[O] = dy W_out
 *   dP_h = (dO_h V_h^T) * M_h,  dV_h = P'_h^T dO_h
 *   dS_h = P_h * (dP_h - rowsum(P_h * dP_h))          the softmax's Jacobian, row by row
 *   dQ_h = dS_h K_h / sqrt(d),  dK_h = dS_h^T Q_h / sqrt(d)
 *   dW_in = d[Q K V]^T x,  db_in = sum d[Q K V],  dx = d[Q K V] W_in
 * </pre>
 * A hidden key has P = 0, so it gets no gradient, as under PyTorch's {@code -inf}. The dropout mask
 * is drawn per training pass from the layer's seed and a counter ({@link #randomState()}), as
 * {@link Dropout}'s is, so runs repeat and checkpoints resume it.
 */
public final class MultiheadAttention implements Layer {
    private final int embed;
    private final int heads;
    private final int headDim;
    private final boolean useBias;
    private final boolean causal;
    private final boolean maskZero;

    private Backend be;
    private int steps;
    private Parameter inWeight;
    private Parameter inBias;
    private Parameter outWeight;
    private Parameter outBias;
    private AttentionMask mask;
    private HeadLayout layout;
    private AttentionBuffers buf;
    private Tensor lastInput;
    private boolean inputGradientNeeded = true;
    private final float dropout;
    private final RandomStream random = new RandomStream("multihead_attention");
    private BatchBuffer dropMask;
    private BatchBuffer dropped;
    private final ViewCache dropped3View = new ViewCache();
    /** The attention weights the last training pass used: P, or P times its dropout mask. */
    private Tensor lastWeights3;
    private Tensor lastMask;

    /**
     * PyTorch's {@code nn.MultiheadAttention(embedDim, numHeads, batch_first=True)}: with biases, no mask.
     *
     * @param embedDim the features per step, E, at least 1
     * @param numHeads the heads, H, which must divide E
     * @throws IllegalArgumentException if a size is not positive or H does not divide E
     */
    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, true, false, false);
    }

    /**
     * Self-attention with every option.
     *
     * @param embedDim the features per step, E, at least 1
     * @param numHeads the heads, H, which must divide E
     * @param bias     whether the projections have biases ({@code in_proj_bias}, {@code out_proj.bias})
     * @param causal   whether each step attends only to itself and earlier steps
     * @param maskZero whether steps whose input is all zeros are padding, hidden as keys
     * @throws IllegalArgumentException if a size is not positive or H does not divide E
     */
    public MultiheadAttention(int embedDim, int numHeads, boolean bias, boolean causal, boolean maskZero) {
        this(embedDim, numHeads, bias, causal, maskZero, 0);
    }

    /**
     * Self-attention with every option, dropout on the attention weights included.
     *
     * @param embedDim the features per step, E, at least 1
     * @param numHeads the heads, H, which must divide E
     * @param bias     whether the projections have biases ({@code in_proj_bias}, {@code out_proj.bias})
     * @param causal   whether each step attends only to itself and earlier steps
     * @param maskZero whether steps whose input is all zeros are padding, hidden as keys
     * @param dropout  PyTorch's {@code dropout}: in training, each attention weight is zeroed with this
     *                 probability and the rest scaled by {@code 1 / (1 - dropout)}; in [0, 1)
     * @throws IllegalArgumentException if a size is not positive, H does not divide E, or dropout is outside [0, 1)
     */
    public MultiheadAttention(int embedDim, int numHeads, boolean bias, boolean causal, boolean maskZero,
            double dropout) {
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("multihead_attention: dropout must be in [0, 1), got " + dropout);
        }
        this.dropout = (float) dropout;
        if (embedDim <= 0 || numHeads <= 0) {
            throw new IllegalArgumentException("multihead_attention: embed_dim " + embedDim + " and num_heads "
                    + numHeads + " must be positive");
        }
        if (embedDim % numHeads != 0) {
            throw new IllegalArgumentException("multihead_attention: num_heads " + numHeads + " must divide embed_dim "
                    + embedDim + " (each head takes embed_dim / num_heads features)");
        }
        this.embed = embedDim;
        this.heads = numHeads;
        this.headDim = embedDim / numHeads;
        this.useBias = bias;
        this.causal = causal;
        this.maskZero = maskZero;
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: {@code embed_dim} and {@code num_heads}, and optionally {@code bias} (default true),
     *          {@code causal} and {@code mask_zero} (default false), {@code dropout} (default 0)
     * @return a new, unbuilt layer
     * @throws IllegalArgumentException if a required key is missing or a value is out of range
     */
    public static MultiheadAttention fromConfig(Map<String, ?> c) {
        String t = "multihead_attention";
        return new MultiheadAttention(Configs.intValue(c, t, "embed_dim"), Configs.intValue(c, t, "num_heads"),
                Configs.booleanValue(c, t, "bias", true), Configs.booleanValue(c, t, "causal", false),
                Configs.booleanValue(c, t, "mask_zero", false), Configs.doubleValue(c, t, "dropout", 0));
    }

    @Override
    public String type() {
        return "multihead_attention";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("embed_dim", embed);
        c.put("num_heads", heads);
        c.put("bias", useBias);
        c.put("causal", causal);
        c.put("mask_zero", maskZero);
        if (dropout > 0) {
            c.put("dropout", (double) dropout);
        }
        return c;
    }

    /**
     * Whether each step attends only to itself and earlier steps.
     *
     * @return the {@code causal} given at construction
     */
    public boolean causal() {
        return causal;
    }

    /**
     * Whether all-zero steps are padding, hidden as keys.
     *
     * @return the {@code maskZero} given at construction
     */
    public boolean masksZeroSteps() {
        return maskZero;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 2 || in.dim(1) != embed) {
            throw new LayerShapeException("[steps, " + embed + "]", in, in.rank() == 2
                    ? "make this layer's embed_dim " + in.dim(1) + ", or change the previous layer to " + embed
                            + " features"
                    : "give each sample as a sequence of " + embed + "-feature steps");
        }
        return in;
    }

    /** PyTorch's four tensors; the biases only with {@code bias}. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        Map<String, int[]> s = new LinkedHashMap<>();
        s.put("in_proj_weight", new int[] {3 * embed, embed});
        if (useBias) {
            s.put("in_proj_bias", new int[] {3 * embed});
        }
        s.put("out_proj.weight", new int[] {embed, embed});
        if (useBias) {
            s.put("out_proj.bias", new int[] {embed});
        }
        return Optional.of(s);
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        outputShape(inputShape);
        be = backend;
        steps = inputShape.dim(0);
        inWeight = new Parameter("in_proj_weight", backend, Shape.of(3 * embed, embed));
        outWeight = new Parameter("out_proj.weight", backend, Shape.of(embed, embed));
        float xavier = (float) Math.sqrt(6.0 / (embed + 3 * embed));
        float linear = (float) (1 / Math.sqrt(embed));
        backend.randomUniform(seed, -xavier, xavier, inWeight.value());
        backend.randomUniform(seed + 0x9E3779B97F4A7C15L, -linear, linear, outWeight.value());
        if (useBias) {
            inBias = new Parameter("in_proj_bias", backend, Shape.of(3 * embed));
            outBias = new Parameter("out_proj.bias", backend, Shape.of(embed));
        }
        random.seed(seed ^ 0x5DEECE66DL);
        prepare(backend);
    }

    private void prepare(Backend backend) {
        mask = new AttentionMask(heads, steps, embed, causal, maskZero);
        layout = new HeadLayout(heads, steps);
        buf = new AttentionBuffers(backend, steps, embed, heads, causal || maskZero);
        if (dropout > 0) {
            dropMask = new BatchBuffer(backend, Shape.of(heads * steps, steps));
            dropped = new BatchBuffer(backend, Shape.of(heads * steps, steps));
        }
    }

    /** The seed (from the model's seed and the layer's index) and the training passes so far. */
    @Override
    public Map<String, Long> randomState() {
        return dropout > 0 ? random.state() : Map.of();
    }

    @Override
    public void restoreRandomState(Map<String, Long> state) {
        if (dropout > 0) {
            random.restore(state);
        }
    }

    /**
     * PyTorch's dropout on the attention weights, in training: {@code P' = P * mask} with the mask's
     * kept entries {@code 1 / (1 - p)}. Returns the weights the values are averaged with.
     */
    private Tensor dropWeights(AttentionBuffers.Views v, int b, boolean training) {
        lastMask = null;
        if (!training || dropout == 0f) {
            return v.scores3();
        }
        float keep = 1f - dropout;
        lastMask = dropMask.get(b);
        be.bernoulliMask(random.next(), keep, 1f / keep, lastMask);
        Tensor weights = dropped.get(b);
        be.binary(BinaryOp.MUL, v.scores(), lastMask, weights);
        return dropped3View.of(weights, b * heads, steps, steps);
    }

    @Override
    public Optional<Layer> replicaForInference(Backend backend, Shape inputShape) {
        MultiheadAttention copy = (MultiheadAttention) LayerRegistry.create(type(), config());
        copy.be = backend;
        copy.steps = steps;
        copy.inWeight = inWeight;
        copy.inBias = inBias;
        copy.outWeight = outWeight;
        copy.outBias = outBias;
        copy.prepare(backend);
        return Optional.of(copy);
    }

    /** A batch {@code [B, steps, embed]} of the shape the layer was built for, or an exception naming both. */
    private void requireBatch(String what, Tensor t) {
        if (t.rank() != 3 || t.dim(1) != steps || t.dim(2) != embed) {
            throw new IllegalArgumentException("multihead_attention: " + what + " " + t.shape()
                    + " does not fit the layer's [batch, " + steps + ", " + embed + "]");
        }
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        requireBatch("input", x);
        int b = x.dim(0);
        lastInput = x;
        layout.prepare(b);
        AttentionBuffers.Views v = buf.views(b);
        float scale = (float) (1 / Math.sqrt(headDim));
        be.linear(buf.input(x, b), inWeight.value(), useBias ? inBias.value() : null, null, 0f, v.qkv());
        be.gatherRows(v.qkvRows(), layout.toHeads(), 0, v.projectedRows());
        be.batchedGemm(false, true, scale, v.q(), v.k(), 0f, v.scores3());
        if (causal || maskZero) {
            mask.update(be, x, b, v.mask(), v.rowKeep());
        }
        if (mask.active()) {
            be.binary(BinaryOp.ADD, v.scores(), v.mask(), v.scores());
        }
        be.softmax(v.scores(), v.scores());                             // P, in place of the scores
        if (mask.anyRowHidden()) {
            be.binary(BinaryOp.MUL, v.scores(), v.rowKeep(), v.scores());  // a query that sees no key: zeros
        }
        lastWeights3 = dropWeights(v, b, training);
        be.batchedGemm(false, false, 1f, lastWeights3, v.v(), 0f, v.heads3());
        be.gatherRows(v.headsRows(), layout.toSteps(), 0, v.mergedRows());
        be.linear(v.merged(), outWeight.value(), useBias ? outBias.value() : null, null, 0f, v.out2());
        return v.out();
    }

    @Override
    public Tensor backward(Tensor dOut) {
        requireBatch("output gradient", dOut);
        int b = dOut.dim(0);
        if (lastInput == null || b != lastInput.dim(0)) {
            throw new IllegalStateException("multihead_attention: backward of a batch of " + b
                    + " needs the forward pass of that batch first");
        }
        AttentionBuffers.Views v = buf.views(b);
        AttentionBuffers.Grads g = buf.grads(b);
        float scale = (float) (1 / Math.sqrt(headDim));
        Tensor dy = buf.outputGradient(dOut, b);
        be.gemm(true, false, 1f, dy, v.merged(), 0f, outWeight.grad());            // dW_out = dy^T [O]
        if (useBias) {
            be.reduce(ReduceOp.SUM, dy, 0, outBias.grad());
        }
        be.gemm(false, false, 1f, dy, outWeight.value(), 0f, g.dMerged());         // d[O] = dy W_out
        be.gatherRows(g.dMergedRows(), layout.fromSteps(), 0, g.dHeadsRows());
        be.batchedGemm(false, true, 1f, g.dHeads3(), v.v(), 0f, g.dScores3());     // dP = dO V^T
        be.batchedGemm(true, false, 1f, lastWeights3, g.dHeads3(), 0f, g.dV());    // dV = P^T dO
        if (lastMask != null) {
            be.binary(BinaryOp.MUL, g.dScores(), lastMask, g.dScores());            // through the dropout mask
        }
        softmaxBackward(v, g);                                                      // dS, in place of dP
        be.batchedGemm(false, false, scale, g.dScores3(), v.k(), 0f, g.dQ());      // dQ = dS K / sqrt(d)
        be.batchedGemm(true, false, scale, g.dScores3(), v.q(), 0f, g.dK());       // dK = dS^T Q / sqrt(d)
        be.gatherRows(g.dProjectedRows(), layout.fromHeads(), 0, g.dQkvRows());
        Tensor x = buf.input(lastInput, b);
        be.gemm(true, false, 1f, g.dQkv(), x, 0f, inWeight.grad());                // dW_in = d[QKV]^T x
        if (useBias) {
            be.reduce(ReduceOp.SUM, g.dQkv(), 0, inBias.grad());
        }
        if (!inputGradientNeeded) {
            return null;
        }
        be.gemm(false, false, 1f, g.dQkv(), inWeight.value(), 0f, g.dx2());         // dx = d[QKV] W_in
        return g.dx();
    }

    /**
     * {@code dS = P * (dP - rowsum(P * dP))}, written over dP. A hidden key, or a row of a query that
     * sees none, has P = 0 and so gets no gradient.
     */
    private void softmaxBackward(AttentionBuffers.Views v, AttentionBuffers.Grads g) {
        be.binary(BinaryOp.MUL, v.scores(), g.dScores(), g.scratch());
        be.reduce(ReduceOp.SUM, g.scratch(), -1, g.rowSums());
        be.binary(BinaryOp.SUB, g.dScores(), g.rowSums(), g.dScores());
        be.binary(BinaryOp.MUL, g.dScores(), v.scores(), g.dScores());
    }

    @Override
    public List<Parameter> parameters() {
        if (inWeight == null) {
            return List.of();
        }
        return useBias ? List.of(inWeight, inBias, outWeight, outBias) : List.of(inWeight, outWeight);
    }

    @Override
    public long parameterCount() {
        return 4L * embed * embed + (useBias ? 4L * embed : 0);
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
    }

    @Override
    public String toString() {
        return "MultiheadAttention(" + embed + ", " + heads + (useBias ? "" : ", no bias") + (causal ? ", causal" : "")
                + (maskZero ? ", mask zero steps" : "") + (dropout > 0 ? ", dropout " + dropout : "") + ")";
    }
}
