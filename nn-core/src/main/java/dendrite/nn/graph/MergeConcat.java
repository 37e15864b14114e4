package dendrite.nn.graph;

import dendrite.nn.layers.BatchBuffer;
import dendrite.nn.layers.LayerShapeException;
import dendrite.nn.layers.ViewCache;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Inputs joined along one per-sample axis (axis 0 of {@code [channels, h, w]} samples joins
 * channels, as {@code torch.cat(dim=1)} on batches does). Folding the axes before the joined one
 * into rows makes each input a block of columns of the output, so forward and backward are one
 * {@link Backend#copyColumns} per input, out and back.
 */
final class MergeConcat implements Merge {
    private final int axis;
    private Backend backend;
    private BatchBuffer out;
    private BatchBuffer[] gradBuffers;
    private Tensor[] grads;
    private int outer;                 // per-sample values before the axis, folded into rows
    private int[] widths;              // each input's columns: its extent along the axis times what follows it
    private int[] offsets;
    private int total;
    private ViewCache outView;          // one cache per tensor viewed, so a steady step makes no views
    private ViewCache dOutView;
    private ViewCache[] inViews;
    private ViewCache[] gradViews;

    MergeConcat(int axis) {
        this.axis = axis;
    }

    @Override
    public String op() {
        return "concat";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("axis", axis);
    }

    @Override
    public Shape outputShape(String node, List<String> inputs, List<Shape> shapes) {
        Shape first = shapes.get(0);
        if (axis < 0 || axis >= first.rank()) {
            throw new LayerShapeException("a per-sample axis below " + first.rank() + " at concat node '" + node + "'",
                    first, "axis " + axis + " does not exist in '" + inputs.get(0) + "''s " + first
                    + " (axes count from 0 and leave out the batch)");
        }
        int[] dims = first.dims();
        for (int i = 1; i < shapes.size(); i++) {
            Shape s = shapes.get(i);
            boolean fits = s.rank() == first.rank();
            for (int d = 0; fits && d < dims.length; d++) {
                fits = d == axis || s.dim(d) == first.dim(d);
            }
            if (!fits) {
                throw new LayerShapeException(first + " but for axis " + axis + " (the shape of '" + inputs.get(0)
                        + "') at concat node '" + node + "'", s, "'" + inputs.get(i) + "' gives " + s + " and '"
                        + inputs.get(0) + "' gives " + first + ": concatenated inputs may differ only along axis "
                        + axis);
            }
            dims[axis] += s.dim(axis);
        }
        return Shape.of(dims);
    }

    @Override
    public void build(Backend backend, List<Shape> inputShapes, Shape outputShape) {
        this.backend = backend;
        int n = inputShapes.size();
        this.out = new BatchBuffer(backend, outputShape);
        this.gradBuffers = new BatchBuffer[n];
        this.grads = new Tensor[n];
        this.widths = new int[n];
        this.offsets = new int[n];
        this.inViews = new ViewCache[n];
        this.gradViews = new ViewCache[n];
        this.outView = new ViewCache();
        this.dOutView = new ViewCache();
        int o = 1;
        for (int d = 0; d < axis; d++) {
            o *= outputShape.dim(d);
        }
        this.outer = o;
        int sum = 0;
        for (int i = 0; i < n; i++) {
            gradBuffers[i] = new BatchBuffer(backend, inputShapes.get(i));
            inViews[i] = new ViewCache();
            gradViews[i] = new ViewCache();
            widths[i] = inputShapes.get(i).size() / outer;
            offsets[i] = sum;
            sum += widths[i];
        }
        this.total = sum;
    }

    @Override
    public Tensor forward(Tensor[] inputs, int batch) {
        Tensor y = out.get(batch);
        int rows = batch * outer;
        Tensor y2 = outView.rows(y, rows, total);
        for (int i = 0; i < inputs.length; i++) {
            backend.copyColumns(inViews[i].rows(inputs[i], rows, widths[i]), 0, y2, offsets[i], widths[i]);
        }
        return y;
    }

    @Override
    public Tensor[] backward(Tensor dOut) {
        int batch = dOut.dim(0);
        int rows = batch * outer;
        Tensor d2 = dOutView.rows(dOut, rows, total);
        for (int i = 0; i < grads.length; i++) {
            Tensor g = gradBuffers[i].get(batch);
            backend.copyColumns(d2, offsets[i], gradViews[i].rows(g, rows, widths[i]), 0, widths[i]);
            grads[i] = g;
        }
        return grads;
    }

    @Override
    public Merge copy() {
        return new MergeConcat(axis);
    }
}
