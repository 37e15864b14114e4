package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Swaps the two axes of each sample: {@code [a, b]} becomes {@code [b, a]} (PyTorch's
 * {@code x.transpose(1, 2)} on a batch, Keras' {@code Permute((2, 1))}). Sequences here are
 * {@code [time, features]}, as the embedding, recurrent and attention layers take them, while
 * {@link Conv1d} and the 1-D pools read {@code [channels, length]}: a Transpose between the two turns
 * one layout into the other, {@code embedding(vocab, dim).transpose().conv1d(filters, width)}.
 *
 * <p>Backward is the same swap of the gradient. Unlike {@link Reshape} it moves the values, one
 * sample's matrix transpose at a time, into a buffer of its own.
 */
public final class Transpose implements Layer {
    private Backend be;
    private Shape inputShape;
    private Shape outputShape;
    private BatchBuffer out;
    private BatchBuffer dx;
    private final ViewCache forwardRows = new ViewCache();
    private final ViewCache forwardOutRows = new ViewCache();
    private final ViewCache backwardRows = new ViewCache();
    private final ViewCache backwardOutRows = new ViewCache();
    /** One view per sample and side, kept so a steady step makes none: grown to the largest batch seen. */
    private ViewCache[] forwardIn = new ViewCache[0];
    private ViewCache[] forwardOut = new ViewCache[0];
    private ViewCache[] backwardIn = new ViewCache[0];
    private ViewCache[] backwardOut = new ViewCache[0];

    /** A transpose of each sample's two axes; it has no options. */
    public Transpose() {
    }

    @Override
    public String type() {
        return "transpose";
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 2) {
            throw new LayerShapeException("[a, b] (two axes to swap)", in, in.rank() == 1
                    ? "a flat sample has one axis: reshape it first, or drop the transpose"
                    : "transpose swaps the two axes of sequences [time, features]; images need their own layout");
        }
        return Shape.of(in.dim(1), in.dim(0));
    }

    /** No parameters or buffers: nothing to allocate. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        return Optional.of(Map.of());
    }

    @Override
    public void build(Backend backend, Shape in, long seed) {
        this.outputShape = outputShape(in);
        this.be = backend;
        this.inputShape = in;
        this.out = new BatchBuffer(backend, outputShape);
        this.dx = new BatchBuffer(backend, in);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = x.dim(0);
        if (x.shape().rank() != 3 || x.dim(1) != inputShape.dim(0) || x.dim(2) != inputShape.dim(1)) {
            throw new IllegalArgumentException("transpose forward: input " + x.shape() + " is not a batch of "
                    + inputShape + " samples, the shape it was built for");
        }
        forwardIn = grown(forwardIn, n);
        forwardOut = grown(forwardOut, n);
        Tensor y = out.get(n);
        swap(x, inputShape, y, n, forwardRows, forwardOutRows, forwardIn, forwardOut);
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int n = dOut.dim(0);
        backwardIn = grown(backwardIn, n);
        backwardOut = grown(backwardOut, n);
        Tensor dX = dx.get(n);
        swap(dOut, outputShape, dX, n, backwardRows, backwardOutRows, backwardIn, backwardOut);
        return dX;
    }

    /** Each sample of {@code src} ({@code [n, a, b]}) transposed into {@code dst} ({@code [n, b, a]}). */
    private void swap(Tensor src, Shape sample, Tensor dst, int n, ViewCache srcRows, ViewCache dstRows,
            ViewCache[] srcSamples, ViewCache[] dstSamples) {
        int a = sample.dim(0);
        int b = sample.dim(1);
        Tensor s = srcRows.rows(src, n * a, b);
        Tensor d = dstRows.rows(dst, n * b, a);
        for (int i = 0; i < n; i++) {
            be.transpose(srcSamples[i].rowRange(s, i * a, (i + 1) * a), dstSamples[i].rowRange(d, i * b, (i + 1) * b));
        }
    }

    private static ViewCache[] grown(ViewCache[] caches, int n) {
        if (caches.length >= n) {
            return caches;
        }
        ViewCache[] more = Arrays.copyOf(caches, n);
        for (int i = caches.length; i < n; i++) {
            more[i] = new ViewCache();
        }
        return more;
    }

    @Override
    public String toString() {
        return "Transpose()";
    }
}
