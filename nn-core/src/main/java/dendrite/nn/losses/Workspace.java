package dendrite.nn.losses;

import dendrite.nn.layers.BatchBuffer;
import dendrite.tensor.Backend;
import dendrite.tensor.Scope;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.HashMap;
import java.util.Map;

/**
 * The reusable tensors of one loss: named batch buffers shaped like the prediction, the scalar
 * result, and a cached view of a target whose shape differs from the prediction's only in form.
 */
final class Workspace {
    private final String loss;
    private final Map<String, BatchBuffer> buffers = new HashMap<>();
    private final Map<String, Tensor> fixed = new HashMap<>();
    private Backend backend;
    private Shape sampleShape;
    private Tensor value;
    private Tensor targetSource;
    private Tensor targetView;

    Workspace(String loss) {
        this.loss = loss;
    }

    /** Prepares for a prediction; buffers are remade only if the backend or per-sample shape changes. */
    void prepare(Tensor prediction) {
        prediction.requireAlive(loss);
        if (prediction.rank() < 1) {
            throw new IllegalArgumentException(loss + ": prediction " + prediction.shape() + " has no batch dimension");
        }
        if (prediction.backend() != backend || !sameSample(prediction)) {
            buffers.values().forEach(BatchBuffer::release);
            buffers.clear();
            fixed.values().forEach(Tensor::close);
            fixed.clear();
            backend = prediction.backend();
            sampleShape = prediction.shape().rank() == 1 ? Shape.scalar()
                    : Shape.of(java.util.Arrays.copyOfRange(prediction.shape().dims(), 1, prediction.rank()));
            value = Scope.unscoped(() -> backend.allocate(Shape.scalar()));
        }
    }

    /** Whether the prediction's per-sample shape is the one prepared, compared without allocating. */
    private boolean sameSample(Tensor prediction) {
        if (sampleShape == null || sampleShape.rank() != Math.max(0, prediction.rank() - 1)) {
            return false;
        }
        for (int i = 0; i < sampleShape.rank(); i++) {
            if (sampleShape.dim(i) != prediction.dim(i + 1)) {
                return false;
            }
        }
        return true;
    }

    Backend backend() {
        return backend;
    }

    /** The single-value result tensor. */
    Tensor value() {
        return value;
    }

    /** A buffer named {@code name} shaped like the prediction for {@code rows} samples. */
    Tensor buffer(String name, int rows) {
        // get, then put: computeIfAbsent's lambda would capture this and be a new object per call.
        BatchBuffer b = buffers.get(name);
        if (b == null) {
            b = new BatchBuffer(backend, sampleShape);
            buffers.put(name, b);
        }
        return b.get(rows);
    }

    /**
     * A buffer of one value per prediction row ({@code [rows, 1]}, or the prediction's shape with its last
     * axis 1): what a binary op broadcasts along each row.
     */
    Tensor rowTotals(String name, int rows) {
        BatchBuffer b = buffers.get(name);
        if (b == null) {
            int[] dims = sampleShape.rank() == 0 ? new int[] {1} : sampleShape.dims().clone();
            dims[dims.length - 1] = 1;
            b = new BatchBuffer(backend, Shape.of(dims));
            buffers.put(name, b);
        }
        return b.get(rows);
    }

    /** A single-value tensor named {@code name}, made once per backend. */
    Tensor scalar(String name) {
        Tensor t = fixed.get(name);
        if (t == null) {
            t = Scope.unscoped(() -> backend.allocate(Shape.scalar()));
            fixed.put(name, t);
        }
        return t;
    }

    /** {@code values} on the backend, copied there once per backend under {@code name}. */
    Tensor constant(String name, float[] values) {
        Tensor t = fixed.get(name);
        if (t == null) {
            t = Scope.unscoped(() -> backend.tensor(values, values.length));
            fixed.put(name, t);
        }
        return t;
    }

    /** {@code target} seen in the prediction's shape (a cached view when only the form differs). */
    Tensor targetLike(Tensor prediction, Tensor target) {
        if (target.shape().equals(prediction.shape())) {
            return target;
        }
        if (target.size() != prediction.size()) {
            throw new IllegalArgumentException(loss + ": target " + target.shape() + " does not match prediction "
                    + prediction.shape() + " (" + target.size() + " vs " + prediction.size() + " values)");
        }
        if (target != targetSource || !targetView.shape().equals(prediction.shape()) || !targetView.isAlive()) {
            targetSource = target;
            targetView = target.reshape(prediction.shape());
        }
        return targetView;
    }
}
