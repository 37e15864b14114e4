package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

/**
 * {@link MultiheadAttention}'s activations and gradients, each a {@link BatchBuffer}, and the views the
 * kernels read them through: the same memory as matrices for the projections ({@code [B * S, E]}), as
 * rows of one head's width for the gathers, and as batches of per-head matrices ({@code [B * H, S, d]})
 * for the batched products. The views are made once per batch size, so a steady step makes none.
 * The backward pass's buffers are allocated only once a backward pass runs.
 */
final class AttentionBuffers {
    private final boolean masked;
    private final int steps;
    private final int embed;
    private final int heads;
    private final int headDim;
    private final BatchBuffer qkv;
    private final BatchBuffer projected;
    private final BatchBuffer scores;
    private final BatchBuffer mask;
    private final BatchBuffer rowKeep;
    private final BatchBuffer headsOut;
    private final BatchBuffer merged;
    private final BatchBuffer out;
    private final BatchBuffer dMerged;
    private final BatchBuffer dHeadsOut;
    private final BatchBuffer dScores;
    private final BatchBuffer scratch;
    private final BatchBuffer rowSums;
    private final BatchBuffer dProjected;
    private final BatchBuffer dQkv;
    private final BatchBuffer dx;
    private final ViewCache inputView = new ViewCache();
    private final ViewCache gradientView = new ViewCache();
    private Views views;
    private Grads grads;

    /** With {@code masked} off (no causal mask, no padding), the mask's buffers are never allocated. */
    AttentionBuffers(Backend be, int steps, int embed, int heads, boolean masked) {
        this.masked = masked;
        this.steps = steps;
        this.embed = embed;
        this.heads = heads;
        this.headDim = embed / heads;
        int hs = heads * steps;
        qkv = new BatchBuffer(be, Shape.of(steps, 3 * embed));
        projected = new BatchBuffer(be, Shape.of(3 * hs, headDim));
        scores = new BatchBuffer(be, Shape.of(hs, steps));
        mask = new BatchBuffer(be, Shape.of(hs, steps));
        rowKeep = new BatchBuffer(be, Shape.of(hs, 1));
        headsOut = new BatchBuffer(be, Shape.of(hs, headDim));
        merged = new BatchBuffer(be, Shape.of(steps, embed));
        out = new BatchBuffer(be, Shape.of(steps, embed));
        dMerged = new BatchBuffer(be, Shape.of(steps, embed));
        dHeadsOut = new BatchBuffer(be, Shape.of(hs, headDim));
        dScores = new BatchBuffer(be, Shape.of(hs, steps));
        scratch = new BatchBuffer(be, Shape.of(hs, steps));
        rowSums = new BatchBuffer(be, Shape.of(hs, 1));
        dProjected = new BatchBuffer(be, Shape.of(3 * hs, headDim));
        dQkv = new BatchBuffer(be, Shape.of(steps, 3 * embed));
        dx = new BatchBuffer(be, Shape.of(steps, embed));
    }

    /**
     * The forward pass's tensors for a batch of B samples. Row orders: {@code qkvRows} is
     * {@code [B, S, 3, H, d]}, {@code projectedRows} {@code [3, B, H, S, d]} (q, k and v its three
     * thirds), {@code headsRows} {@code [B, H, S, d]}, {@code mergedRows} {@code [B, S, H, d]}. The
     * scores become the probabilities in place. {@code mask} and {@code rowKeep} are null when unmasked.
     */
    record Views(Tensor qkv, Tensor qkvRows, Tensor projectedRows, Tensor q, Tensor k, Tensor v, Tensor scores,
            Tensor scores3, Tensor mask, Tensor rowKeep, Tensor heads3, Tensor headsRows, Tensor mergedRows,
            Tensor merged, Tensor out, Tensor out2) {
    }

    /** The backward pass's tensors for a batch of B samples, in the orders of {@link Views}. */
    record Grads(Tensor dMerged, Tensor dMergedRows, Tensor dHeadsRows, Tensor dHeads3, Tensor dScores,
            Tensor dScores3, Tensor scratch, Tensor rowSums, Tensor dProjectedRows, Tensor dQ, Tensor dK, Tensor dV,
            Tensor dQkvRows, Tensor dQkv, Tensor dx, Tensor dx2) {
    }

    /** {@code x [B, S, E]} seen as {@code [B * S, E]}. */
    Tensor input(Tensor x, int b) {
        return inputView.rows(x, b * steps, embed);
    }

    /** {@code dy [B, S, E]} seen as {@code [B * S, E]}. */
    Tensor outputGradient(Tensor dy, int b) {
        return gradientView.rows(dy, b * steps, embed);
    }

    /** The forward tensors for {@code b} samples, made again only when the batch size changes. */
    Views views(int b) {
        if (views != null && views.out().dim(0) == b) {
            return views;
        }
        int rows = b * heads * steps;
        Tensor projectedRows = projected.get(b).reshape(3 * rows, headDim);
        Tensor s = scores.get(b);
        Tensor o = headsOut.get(b);
        Tensor m = merged.get(b);
        Tensor y = out.get(b);
        Tensor q = qkv.get(b);
        views = new Views(q.reshape(b * steps, 3 * embed), q.reshape(3 * rows, headDim), projectedRows,
                third(projectedRows, 0, rows, b), third(projectedRows, 1, rows, b), third(projectedRows, 2, rows, b),
                s, s.reshape(b * heads, steps, steps), masked ? mask.get(b) : null, masked ? rowKeep.get(b) : null, o.reshape(b * heads, steps, headDim),
                o.reshape(rows, headDim), m.reshape(rows, headDim), m.reshape(b * steps, embed), y,
                y.reshape(b * steps, embed));
        return views;
    }

    /** The backward tensors for {@code b} samples, made again only when the batch size changes. */
    Grads grads(int b) {
        if (grads != null && grads.dx().dim(0) == b) {
            return grads;
        }
        int rows = b * heads * steps;
        Tensor dm = dMerged.get(b);
        Tensor dh = dHeadsOut.get(b);
        Tensor ds = dScores.get(b);
        Tensor dp = dProjected.get(b).reshape(3 * rows, headDim);
        Tensor dq = dQkv.get(b);
        Tensor d = dx.get(b);
        grads = new Grads(dm.reshape(b * steps, embed), dm.reshape(rows, headDim), dh.reshape(rows, headDim),
                dh.reshape(b * heads, steps, headDim), ds, ds.reshape(b * heads, steps, steps), scratch.get(b),
                rowSums.get(b), dp, third(dp, 0, rows, b), third(dp, 1, rows, b), third(dp, 2, rows, b),
                dq.reshape(3 * rows, headDim), dq.reshape(b * steps, 3 * embed), d, d.reshape(b * steps, embed));
        return grads;
    }

    /** Third {@code t} (q, k or v) of head-major rows, as {@code [B * H, S, d]}. */
    private Tensor third(Tensor rowsOfHeads, int t, int rows, int b) {
        return rowsOfHeads.rows(t * rows, (t + 1) * rows).reshape(b * heads, steps, headDim);
    }
}
