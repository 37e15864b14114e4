package dendrite.nn.losses;

import dendrite.nn.layers.BatchBuffer;
import dendrite.nn.layers.ViewCache;
import dendrite.tensor.Backend;
import dendrite.tensor.Scope;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One loss per head of a model with several outputs, weighted and summed:
 * {@code L = sum_k w_k L_k(prediction columns of head k, target columns of head k)}.
 *
 * <p>A {@code Graph} with several outputs lays them side by side, {@code [batch, outputs_1 +
 * outputs_2 + ...]}; the targets are laid out the same way, {@code [batch, targets_1 + targets_2 +
 * ...]}, where a classification head takes one column (the class index) and a regression head as many
 * as it predicts. Each head's columns go to its own loss, and its gradient comes back scaled by its
 * weight into its columns, which is the chain rule for a weighted sum.
 *
 * <pre>{@code
 * Loss loss = MultiTaskLoss.builder()
 *         .head("class", 10, new SoftmaxCrossEntropy(), 1, 1.0)   // 10 logits, 1 target column
 *         .head("value", 1, new MeanSquaredError(), 1, 0.5)       // 1 output, 1 target column
 *         .build();
 * }</pre>
 */
public final class MultiTaskLoss implements Loss {
    private final List<Head> heads;
    private final int outputWidth;
    private final int targetWidth;
    private Backend backend;
    private Tensor total;
    private Tensor term;
    private BatchBuffer grad;
    private final ViewCache predictionRows = new ViewCache();
    private final ViewCache targetRows = new ViewCache();
    private final ViewCache gradRows = new ViewCache();
    private final Tensor[] headValues;    // each head's loss value, owned by that loss
    private int rowsSeen;

    /**
     * One head: its name, how many prediction and target columns it owns, its loss and its weight.
     *
     * @param name    the head's name, for reports
     * @param outputs the number of prediction columns it owns
     * @param loss    the loss applied to its columns
     * @param targets the number of target columns it owns (1 for class indices)
     * @param weight  its weight in the sum, at least 0
     */
    public record Head(String name, int outputs, Loss loss, int targets, double weight) {
        /**
         * Checks the head.
         *
         * @throws IllegalArgumentException if a count is below 1, the weight is negative or not finite, or the
         *                                  loss is null
         */
        public Head {
            if (outputs < 1 || targets < 1 || loss == null || !(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("multi-task head '" + name + "': needs at least 1 output and"
                        + " 1 target column, a loss, and a finite weight >= 0; got outputs " + outputs + ", targets "
                        + targets + ", loss " + loss + ", weight " + weight);
            }
        }
    }

    private final List<HeadBuffers> buffers = new ArrayList<>();

    /** Each head's views of its columns. */
    private static final class HeadBuffers {
        BatchBuffer prediction;
        BatchBuffer target;
        BatchBuffer scaled;
    }

    private MultiTaskLoss(List<Head> heads) {
        if (heads.isEmpty()) {
            throw new IllegalArgumentException("multi-task loss: no heads");
        }
        this.heads = List.copyOf(heads);
        int o = 0;
        int t = 0;
        for (Head h : heads) {
            o += h.outputs();
            t += h.targets();
            buffers.add(new HeadBuffers());
        }
        this.outputWidth = o;
        this.targetWidth = t;
        this.headValues = new Tensor[heads.size()];
    }

    /**
     * Starts a loss with no heads yet.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The heads, in column order.
     *
     * @return an unmodifiable list
     */
    public List<Head> heads() {
        return heads;
    }

    /**
     * The prediction columns all heads own together: the model's output size per sample.
     *
     * @return the sum of the heads' output counts
     */
    public int outputWidth() {
        return outputWidth;
    }

    /**
     * The target columns all heads own together: the dataset's target size per sample.
     *
     * @return the sum of the heads' target counts
     */
    public int targetWidth() {
        return targetWidth;
    }

    @Override
    public String name() {
        return "multi_task";
    }

    @Override
    public Tensor forward(Tensor prediction, Tensor target) {
        int m = prediction.dim(0);
        if (prediction.size() != (long) m * outputWidth || target.size() != (long) m * targetWidth) {
            throw new IllegalArgumentException("multi_task: prediction " + prediction.shape() + " and target "
                    + target.shape() + " must be [batch, " + outputWidth + "] and [batch, " + targetWidth
                    + "] (the heads' columns side by side)");
        }
        prepare(prediction.backend());
        rowsSeen = m;
        Tensor p2 = predictionRows.rows(prediction, m, outputWidth);
        Tensor t2 = targetRows.rows(target, m, targetWidth);
        int po = 0;
        int to = 0;
        for (int k = 0; k < heads.size(); k++) {
            Head h = heads.get(k);
            HeadBuffers b = buffers.get(k);
            Tensor hp = b.prediction.get(m);
            Tensor ht = b.target.get(m);
            backend.copyColumns(p2, po, hp, 0, h.outputs());
            backend.copyColumns(t2, to, ht, 0, h.targets());
            Tensor l = h.loss().forward(hp, ht);
            headValues[k] = l;
            backend.affine(l, (float) h.weight(), 0f, k == 0 ? total : term);
            if (k > 0) {
                backend.binary(BinaryOp.ADD, total, term, total);
            }
            po += h.outputs();
            to += h.targets();
        }
        return total;
    }

    /**
     * Each head's unweighted loss from the last {@link #forward}, by head name (reads them from the device).
     *
     * @return a new map in head order
     */
    public Map<String, Float> lastHeadLosses() {
        Map<String, Float> m = new LinkedHashMap<>();
        for (int k = 0; k < heads.size(); k++) {
            Head h = heads.get(k);
            m.put(h.name(), headValues[k] == null ? Float.NaN : headValues[k].item());
        }
        return m;
    }


    @Override
    public Tensor backward() {
        int m = rowsSeen;
        Tensor g = grad.get(m);
        Tensor g2 = gradRows.rows(g, m, outputWidth);
        int po = 0;
        for (int k = 0; k < heads.size(); k++) {
            Head h = heads.get(k);
            Tensor hg = h.loss().backward();
            Tensor scaled = buffers.get(k).scaled.get(m);
            backend.affine(hg, (float) h.weight(), 0f, scaled);
            backend.copyColumns(scaled, 0, g2, po, h.outputs());
            po += h.outputs();
        }
        return g;
    }

    private void prepare(Backend be) {
        if (be != backend) {
            backend = be;
            total = Scope.unscoped(() -> be.allocate(Shape.scalar()));
            term = Scope.unscoped(() -> be.allocate(Shape.scalar()));
            grad = new BatchBuffer(be, Shape.of(outputWidth));
            for (int k = 0; k < heads.size(); k++) {
                HeadBuffers b = buffers.get(k);
                b.prediction = new BatchBuffer(be, Shape.of(heads.get(k).outputs()));
                b.target = new BatchBuffer(be, Shape.of(heads.get(k).targets()));
                b.scaled = new BatchBuffer(be, Shape.of(heads.get(k).outputs()));
            }
        }
    }

    /** Adds heads in column order. */
    public static final class Builder {
        private final List<Head> heads = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds the next head.
         *
         * @param name    the head's name, for reports
         * @param outputs the number of prediction columns it owns
         * @param loss    the loss of those columns (a new instance per head: losses keep per-batch state)
         * @param targets the number of target columns it owns (1 for class indices)
         * @param weight  its weight in the sum, at least 0
         * @return this builder
         */
        public Builder head(String name, int outputs, Loss loss, int targets, double weight) {
            heads.add(new Head(name, outputs, loss, targets, weight));
            return this;
        }

        /**
         * Makes the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if no head was added
         */
        public MultiTaskLoss build() {
            return new MultiTaskLoss(heads);
        }
    }
}
