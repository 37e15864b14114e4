package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.ReduceOp;

import java.util.Map;
import java.util.Optional;

/**
 * The mean over the steps of a sequence, {@code [time, features] -> [features]} (Keras's
 * {@code GlobalAveragePooling1D}, PyTorch's {@code x.mean(dim=1)} on batch-first input): how a
 * sequence classifier reads one vector from every step's. It forgets where each step was, so a model
 * reading through it knows the order only from what earlier layers (attention with positions, a
 * recurrent layer) put into the steps.
 *
 * <p>Backward: each step receives {@code dL/dy / time}, copied to the steps of its sample with
 * {@link Backend#gatherRows} (row {@code i * time + t} of the input gradient is row i of dL/dy).
 */
public final class GlobalAvgPool1d implements Layer {
    private Backend be;
    private int time;
    private int features;
    private BatchBuffer out;
    private BatchBuffer dx;
    private int[] sampleOfRow = new int[0];
    private final ViewCache dxRows = new ViewCache();

    /** The mean over time; it has no options. */
    public GlobalAvgPool1d() {
    }

    @Override
    public String type() {
        return "global_avg_pool1d";
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 2) {
            throw new LayerShapeException("[time, features]", in, "put it after a layer giving sequences, or use"
                    + " GlobalAvgPool2d for [channels, h, w] images");
        }
        return Shape.of(in.dim(1));
    }

    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        return Optional.of(Map.of());
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        outputShape(inputShape);
        this.be = backend;
        this.time = inputShape.dim(0);
        this.features = inputShape.dim(1);
        this.out = new BatchBuffer(backend, Shape.of(features));
        this.dx = new BatchBuffer(backend, inputShape);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor y = out.get(x.dim(0));
        be.reduce(ReduceOp.SUM, x, 1, y);
        be.affine(y, 1f / time, 0f, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int m = dOut.dim(0);
        if (sampleOfRow.length != m * time) {
            sampleOfRow = new int[m * time];
            for (int r = 0; r < sampleOfRow.length; r++) {
                sampleOfRow[r] = r / time;
            }
        }
        Tensor d = dx.get(m);
        Tensor rows = dxRows.rows(d, m * time, features);
        be.gatherRows(dOut, sampleOfRow, 0, rows);
        be.affine(rows, 1f / time, 0f, rows);
        return d;
    }

    @Override
    public String toString() {
        return "GlobalAvgPool1d";
    }
}
