package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Scope;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Enlarges images {@code [channels, height, width]} by whole factors, to {@code [channels, height * scaleH,
 * width * scaleW]}: PyTorch's {@code nn.Upsample(scale_factor=(scaleH, scaleW), mode='nearest'|'bilinear',
 * align_corners=...)}, Keras' {@code UpSampling2D(size, interpolation)}. Decoders, U-Nets and GAN generators
 * grow their feature maps with it and let a convolution after it learn what to draw at the new size, which
 * avoids the checkerboard a strided {@link ConvTranspose2d} tends to leave. No parameters.
 *
 * <p>With PyTorch's index and weight formulas, along each axis of {@code in} pixels grown to {@code out}:
 * <ul>
 *   <li>{@link Mode#NEAREST}: output pixel {@code d} is input pixel {@code floor(d * in / out)}, so each
 *       pixel is repeated {@code scale} times;</li>
 *   <li>{@link Mode#BILINEAR}: output pixel {@code d} is {@code (1 - l) x[i0] + l x[i1]} with
 *       {@code s = max(0, (d + 0.5) * in / out - 0.5)} (pixel centres line up, PyTorch's default
 *       {@code align_corners=False}) or {@code s = d * (in - 1) / (out - 1)} (the corner pixels line up,
 *       {@code align_corners=True}), {@code i0 = floor(s)}, {@code i1 = min(i0 + 1, in - 1)},
 *       {@code l = s - i0}.</li>
 * </ul>
 *
 * <p>It needs no operation of its own, so every backend runs it: resizing is separable, a pass along the
 * width and then one along the height, and in each pass an output row is one input row
 * ({@link Backend#gatherRows}) or, bilinear, two input rows scaled by their weights and added. The width pass
 * sees each value as a row of its own, the height pass whole rows of the new width. Backward runs the passes
 * the other way: every output's gradient, scaled by the same weight, is added to the input it was read from
 * ({@link Backend#scatterAddRows} into a zeroed gradient), which is exact and adds in the same order on every
 * backend. The weights depend only on the position along the axis, so one row of them serves every sample;
 * the row indices depend on the batch size and are kept for the largest batch seen, so that a steady
 * training step allocates nothing.
 */
public final class Upsample2d implements Layer {
    private static final String TYPE = "upsample2d";

    /** How an output pixel is made from the input pixels around it. */
    public enum Mode {
        /** The input pixel the output pixel falls in: each pixel repeated, no new values. */
        NEAREST,
        /** The two nearest input pixels along each axis, mixed linearly by distance: smooth, no blocks. */
        BILINEAR;

        /**
         * The name PyTorch's {@code mode} argument and model files give it.
         *
         * @return {@code nearest} or {@code bilinear}
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The mode called {@code label}, as PyTorch names it.
         *
         * @param label {@code nearest} or {@code bilinear}, in any case
         * @return the mode
         * @throws IllegalArgumentException for another name, listing the known ones
         */
        public static Mode of(String label) {
            for (Mode m : values()) {
                if (m.label().equalsIgnoreCase(label)) {
                    return m;
                }
            }
            throw new IllegalArgumentException(TYPE + ": mode '" + label + "' is unknown; known: nearest, bilinear");
        }
    }

    private final int scaleH;
    private final int scaleW;
    private final Mode mode;
    private final boolean alignCorners;

    private Backend be;
    private Shape sample;
    private boolean inputGradientNeeded = true;
    /** The width pass (each value a row of one) and the height pass (rows of the new width). */
    private Axis widthPass;
    private Axis heightPass;
    /** The images grown along the width only; in backward, the gradient there (forward's values are not needed). */
    private BatchBuffer wide;
    private BatchBuffer out;
    private BatchBuffer dx;
    /** Bilinear only: each pass's far rows, weighted, before they are added. */
    private BatchBuffer wideScratch;
    private BatchBuffer outScratch;

    /**
     * Nearest-neighbour upsampling by {@code scale} on both sides (PyTorch's and Keras' default mode).
     *
     * @param scale the factor on height and width, at least 1
     * @throws IllegalArgumentException if {@code scale} is below 1
     */
    public Upsample2d(int scale) {
        this(scale, scale, Mode.NEAREST, false);
    }

    /**
     * Upsampling by {@code scale} on both sides in {@code mode}, bilinear without {@code align_corners} (as
     * PyTorch's default).
     *
     * @param scale the factor on height and width, at least 1
     * @param mode  nearest or bilinear
     * @throws IllegalArgumentException if {@code scale} is below 1 or {@code mode} is {@code null}
     */
    public Upsample2d(int scale, Mode mode) {
        this(scale, scale, mode, false);
    }

    /**
     * The full form, as PyTorch's arguments.
     *
     * @param scaleH       the factor on the height, at least 1
     * @param scaleW       the factor on the width, at least 1
     * @param mode         nearest or bilinear
     * @param alignCorners bilinear only: {@code true} lines up the corner pixels of input and output (PyTorch's
     *                     {@code align_corners=True}), {@code false} their pixel centres
     * @throws IllegalArgumentException if a factor is below 1, {@code mode} is {@code null}, or
     *                                  {@code alignCorners} is asked of nearest mode (PyTorch refuses it too)
     */
    public Upsample2d(int scaleH, int scaleW, Mode mode, boolean alignCorners) {
        if (scaleH < 1 || scaleW < 1) {
            throw new IllegalArgumentException(TYPE + ": scale factors " + scaleH + "x" + scaleW
                    + " must be at least 1 (whole numbers: each side is multiplied by its factor)");
        }
        if (mode == null) {
            throw new IllegalArgumentException(TYPE + ": mode is null; give nearest or bilinear");
        }
        if (alignCorners && mode != Mode.BILINEAR) {
            throw new IllegalArgumentException(TYPE + ": align_corners applies to bilinear mode only (as in PyTorch)");
        }
        this.scaleH = scaleH;
        this.scaleW = scaleW;
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: {@code scale_factor} (one number or two, height then width), and optionally
     *          {@code mode} ({@code nearest}, the default, or {@code bilinear}) and {@code align_corners}
     *          (default false)
     * @return a new, unbuilt layer
     * @throws IllegalArgumentException if {@code scale_factor} is missing or a value is out of range
     */
    public static Upsample2d fromConfig(Map<String, ?> c) {
        int[] scale = Configs.intPair(c, TYPE, "scale_factor", null);
        return new Upsample2d(scale[0], scale[1], Mode.of(Configs.stringValue(c, TYPE, "mode", "nearest")),
                Configs.booleanValue(c, TYPE, "align_corners", false));
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** PyTorch's names; {@code align_corners} only in bilinear mode, where PyTorch takes it. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("scale_factor", List.of(scaleH, scaleW));
        c.put("mode", mode.label());
        if (mode == Mode.BILINEAR) {
            c.put("align_corners", alignCorners);
        }
        return c;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 3) {
            throw new LayerShapeException("[channels, height, width]", in, in.rank() == 1
                    ? "add reshape(channels, height, width) before this layer" : "give images as [C, H, W]");
        }
        long size = (long) in.size() * scaleH * scaleW;
        if (size > Integer.MAX_VALUE) {
            throw new LayerShapeException("an image of at most " + Integer.MAX_VALUE + " values once upsampled "
                    + scaleH + "x" + scaleW, in, "upsample less, or make the image smaller before this layer");
        }
        return Shape.of(in.dim(0), in.dim(1) * scaleH, in.dim(2) * scaleW);
    }

    /** No parameters or buffers: nothing to allocate. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        return Optional.of(Map.of());
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        Shape outShape = outputShape(inputShape);
        be = backend;
        sample = inputShape;
        int height = inputShape.dim(1);
        int width = inputShape.dim(2);
        Shape wideShape = Shape.of(inputShape.dim(0), height, outShape.dim(2));
        widthPass = new Axis(backend, width, outShape.dim(2), 1);
        heightPass = new Axis(backend, height, outShape.dim(1), outShape.dim(2));
        wide = new BatchBuffer(backend, wideShape);
        out = new BatchBuffer(backend, outShape);
        dx = new BatchBuffer(backend, inputShape);
        wideScratch = new BatchBuffer(backend, wideShape);
        outScratch = new BatchBuffer(backend, outShape);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        boolean fits = x.rank() == 4;
        for (int i = 0; fits && i < 3; i++) {
            fits = x.dim(i + 1) == sample.dim(i);
        }
        if (!fits) {
            throw new IllegalArgumentException(TYPE + " forward: input " + x.shape() + " is not a batch of " + sample
                    + " samples, the shape " + this + " was built for");
        }
        int n = x.dim(0);
        int planes = n * sample.dim(0);
        Tensor w = wide.get(n);
        widthPass.forward(x, w, scratch(wideScratch, n), planes * sample.dim(1));
        Tensor y = out.get(n);
        heightPass.forward(w, y, scratch(outScratch, n), planes);
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        if (!inputGradientNeeded) {
            return null;
        }
        int n = dOut.dim(0);
        int planes = n * sample.dim(0);
        Tensor dWide = wide.get(n);
        heightPass.backward(dOut, dWide, scratch(outScratch, n), planes);
        Tensor dX = dx.get(n);
        widthPass.backward(dWide, dX, scratch(wideScratch, n), planes * sample.dim(1));
        return dX;
    }

    /** Nearest mode reads one row per output and needs no scratch, so never allocates it. */
    private Tensor scratch(BatchBuffer buffer, int n) {
        return mode == Mode.BILINEAR ? buffer.get(n) : null;
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
    }

    /**
     * The factor on the height.
     *
     * @return PyTorch's {@code scale_factor[0]}
     */
    public int scaleHeight() {
        return scaleH;
    }

    /**
     * The factor on the width.
     *
     * @return PyTorch's {@code scale_factor[1]}
     */
    public int scaleWidth() {
        return scaleW;
    }

    /**
     * How output pixels are made.
     *
     * @return nearest or bilinear
     */
    public Mode mode() {
        return mode;
    }

    /**
     * Whether bilinear mode lines up the corner pixels rather than the pixel centres.
     *
     * @return PyTorch's {@code align_corners}; always {@code false} in nearest mode
     */
    public boolean alignCorners() {
        return alignCorners;
    }

    @Override
    public String toString() {
        return "Upsample2d(" + (scaleH == scaleW ? String.valueOf(scaleH) : scaleH + "x" + scaleW) + ", "
                + mode.label() + (alignCorners ? ", align_corners" : "") + ")";
    }

    /** Where output position {@code d} of {@code out} reads along an axis of {@code in} pixels, as PyTorch. */
    private double source(int d, int in, int out) {
        if (alignCorners) {
            return out > 1 ? (double) (in - 1) / (out - 1) * d : 0;
        }
        return Math.max(0, (double) in / out * (d + 0.5) - 0.5);
    }

    /**
     * One pass along an axis: {@code groups} blocks of {@code in} rows, each {@code rowLength} values wide,
     * become blocks of {@code out} rows. Output row {@code j} of a block is input row {@code near[j]} of the
     * same block times {@code nearWeight}, plus, bilinear, row {@code far[j]} times {@code farWeight}.
     */
    private final class Axis {
        private final int in;
        private final int out;
        private final int rowLength;
        private final int[] near;
        /** Bilinear only, as are the weights. */
        private final int[] far;
        /** Each output row's weight repeated along the row ({@code out * rowLength}), one block's worth. */
        private final Tensor nearWeight;
        private final Tensor farWeight;
        /** near and far for every block of the largest batch seen: the same prefix serves a smaller one. */
        private int[] nearRows = new int[0];
        private int[] farRows = new int[0];
        private final ViewCache srcRows = new ViewCache();
        private final ViewCache dstRows = new ViewCache();
        private final ViewCache dstBlocks = new ViewCache();
        private final ViewCache scratchRows = new ViewCache();
        private final ViewCache scratchBlocks = new ViewCache();
        private final ViewCache dDstRows = new ViewCache();
        private final ViewCache dDstBlocks = new ViewCache();
        private final ViewCache dSrcRows = new ViewCache();

        Axis(Backend backend, int in, int out, int rowLength) {
            this.in = in;
            this.out = out;
            this.rowLength = rowLength;
            near = new int[out];
            if (mode == Mode.NEAREST) {
                for (int d = 0; d < out; d++) {
                    near[d] = (int) ((long) d * in / out);    // floor(d * in / out), exactly
                }
                far = null;
                nearWeight = null;
                farWeight = null;
                return;
            }
            far = new int[out];
            float[] nearW = new float[out * rowLength];
            float[] farW = new float[out * rowLength];
            for (int d = 0; d < out; d++) {
                double s = source(d, in, out);
                near[d] = (int) s;                            // s >= 0: the cast is the floor
                far[d] = Math.min(near[d] + 1, in - 1);
                double lambda = s - near[d];
                Arrays.fill(nearW, d * rowLength, (d + 1) * rowLength, (float) (1 - lambda));
                Arrays.fill(farW, d * rowLength, (d + 1) * rowLength, (float) lambda);
            }
            // The layer owns these, not a caller's scope (as BatchBuffer's memory).
            nearWeight = Scope.unscoped(() -> backend.tensor(nearW, out * rowLength));
            farWeight = Scope.unscoped(() -> backend.tensor(farW, out * rowLength));
        }

        /** Makes {@link #nearRows} and {@link #farRows} cover {@code groups} blocks. */
        private void cover(int groups) {
            if (nearRows.length < groups * out) {
                nearRows = rowsOfEveryBlock(near, groups);
                farRows = far == null ? null : rowsOfEveryBlock(far, groups);
            }
        }

        private int[] rowsOfEveryBlock(int[] positions, int groups) {
            int[] rows = new int[groups * out];
            for (int g = 0, r = 0; g < groups; g++) {
                for (int j = 0; j < out; j++) {
                    rows[r++] = g * in + positions[j];
                }
            }
            return rows;
        }

        /** {@code dst} (overwritten) from {@code src}; {@code scratch} has dst's size (bilinear only). */
        void forward(Tensor src, Tensor dst, Tensor scratch, int groups) {
            cover(groups);
            Tensor from = srcRows.of(src, groups * in, rowLength);
            be.gatherRows(from, nearRows, 0, dstRows.of(dst, groups * out, rowLength));
            if (far == null) {
                return;
            }
            Tensor blocks = dstBlocks.of(dst, groups, out * rowLength);
            Tensor farBlocks = scratchBlocks.of(scratch, groups, out * rowLength);
            be.binary(BinaryOp.MUL, blocks, nearWeight, blocks);
            be.gatherRows(from, farRows, 0, scratchRows.of(scratch, groups * out, rowLength));
            be.binary(BinaryOp.MUL, farBlocks, farWeight, farBlocks);
            be.binary(BinaryOp.ADD, blocks, farBlocks, blocks);
        }

        /** {@code dSrc} (overwritten) from {@code dDst}, the gradient of the last forward's dst. */
        void backward(Tensor dDst, Tensor dSrc, Tensor scratch, int groups) {
            Tensor into = dSrcRows.of(dSrc, groups * in, rowLength);
            be.fill(into, 0f);                                // the scatters add, and an input may feed several outputs
            if (far == null) {
                be.scatterAddRows(dDstRows.of(dDst, groups * out, rowLength), nearRows, 0, into);
                return;
            }
            Tensor gradient = dDstBlocks.of(dDst, groups, out * rowLength);
            Tensor weighted = scratchBlocks.of(scratch, groups, out * rowLength);
            Tensor weightedRows = scratchRows.of(scratch, groups * out, rowLength);
            be.binary(BinaryOp.MUL, gradient, nearWeight, weighted);
            be.scatterAddRows(weightedRows, nearRows, 0, into);
            be.binary(BinaryOp.MUL, gradient, farWeight, weighted);
            be.scatterAddRows(weightedRows, farRows, 0, into);
        }
    }
}
