package dendrite.backend.vector;

import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.PackedWeights;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.PoolOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link NarrowShapesFirstTest}: one operation form (the argument, one of
 * {@link #forms()}) through the backend's front on tensors narrower than a vector (3 columns, or
 * 3 x 3 images) until C2 has compiled it, then on wide ones, then on ones large enough to be split
 * over the threads ({@link #large}), where a steady call must allocate nothing. It prints the least
 * bytes that 20 calls of each allocated and in how many rounds, and exits 1 if that never got to 0
 * within the rounds and seconds allowed. One form a JVM: kernels share
 * helpers (the row maximum, the block passes), which one form's wide calls would compile for the
 * others first.
 */
public final class NarrowShapesFirstMain {
    private static final int ROWS = 64;
    /** The narrow width; {@code -Dnarrow=} tries another by hand. */
    private static final int NARROW = Integer.getInteger("narrow", 3);
    private static final int NARROW_CALLS = 20_000;
    private static final int MAX_ROUNDS = 20_000;
    private static final long MAX_NANOS = 30_000_000_000L;
    private static final Backend BE = Backends.get("vector");

    private NarrowShapesFirstMain() {
    }

    /** A way to call one operation on tensors of a given width. */
    interface Form {
        Runnable at(int cols);
    }

    /**
     * Every operation form the backend's front offers: each enum constant of the element-wise,
     * reduction, activation and pooling operations, so that one added later is covered without a
     * change here, and the rest by name.
     */
    public static List<String> forms() {
        List<String> forms = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            forms.add("unary:" + op);
        }
        for (BinaryOp op : BinaryOp.values()) {
            forms.add("binary:" + op);
            forms.add("binaryRow:" + op);
            forms.add("binaryColumn:" + op);
        }
        for (ReduceOp op : ReduceOp.values()) {
            forms.add("reduceRows:" + op);
            forms.add("reduceColumns:" + op);
            forms.add("reduceAll:" + op);
        }
        for (Activation act : Activation.values()) {
            forms.add("activation:" + act);
            forms.add("activationBackward:" + act);
        }
        for (PoolOp op : PoolOp.values()) {
            forms.add("pool:" + op);
            forms.add("poolBackward:" + op);
        }
        forms.addAll(List.of("affine", "clamp", "powScalar", "softmax", "logSoftmax", "argmax", "oneHot",
                "gatherRows", "scatterAddRows", "copyColumns", "layerNorm", "layerNormBackward", "gemm:NN",
                "gemm:NT", "gemm:TN", "gemm:TT", "gemm:NN:m", "gemm:NN:n", "gemm:NN:k", "gemm:NT:m", "gemm:NT:n",
                "gemm:NT:k", "gemm:TN:m", "gemm:TN:n", "gemm:TN:k", "batchedGemm", "linear", "linearPacked",
                "transpose", "conv2d", "conv2dBackwardData", "conv2dBackwardWeights", "shiftImages", "sgd", "adam",
                "rmsprop", "adagrad", "fill", "copy", "randomUniform", "randomNormal", "bernoulliMask"));
        return forms;
    }

    public static void main(String[] args) {
        Form form = form(args[0]);
        Runnable narrow = form.at(NARROW);
        for (int i = 0; i < NARROW_CALLS; i++) {
            narrow.run();
        }
        boolean wide = report(args[0], wide(), form);
        boolean large = report(args[0], large(args[0]), form);
        System.exit(wide && large ? 0 : 1);
    }

    /**
     * A width at which the operation is split over the backend's threads (where it has two or more):
     * a part handed to the pool as a capturing lambda was a new object on every call (softmax,
     * layer normalization, the transpose, RMSProp and others allocated 56-192 bytes a call so).
     */
    private static int large(String name) {
        return Integer.getInteger("large", name.matches("(gemm|batchedGemm|linear|conv|pool|shift).*") ? 200 : 3000);
    }

    private static Form form(String name) {
        String[] part = name.split(":");
        String arg = part.length > 1 ? part[1] : "";
        return switch (part[0]) {
            case "unary" -> unary(UnaryOp.valueOf(arg));
            case "binary" -> binary(BinaryOp.valueOf(arg), ROWS);
            case "binaryRow" -> binary(BinaryOp.valueOf(arg), 1);
            case "binaryColumn" -> binaryColumn(BinaryOp.valueOf(arg));
            case "reduceRows" -> reduce(ReduceOp.valueOf(arg), 1);
            case "reduceColumns" -> reduce(ReduceOp.valueOf(arg), 0);
            case "reduceAll" -> reduceAll(ReduceOp.valueOf(arg));
            case "activation" -> activation(Activation.valueOf(arg));
            case "activationBackward" -> activationBackward(Activation.valueOf(arg));
            case "pool" -> pool(PoolOp.valueOf(arg));
            case "poolBackward" -> poolBackward(PoolOp.valueOf(arg));
            case "gemm" -> gemm(arg.charAt(0) == 'T', arg.charAt(1) == 'T', part.length > 2 ? part[2] : "nk");
            default -> named(name);
        };
    }

    private static Form named(String name) {
        return switch (name) {
            case "affine" -> cols -> pair(cols, (x, out) -> BE.affine(x, 2f, 1f, out));
            case "clamp" -> cols -> pair(cols, (x, out) -> BE.clamp(x, -1f, 1f, out));
            case "powScalar" -> cols -> pair(cols, (x, out) -> BE.powScalar(x, 1.5f, out));
            case "softmax" -> cols -> pair(cols, BE::softmax);
            case "logSoftmax" -> cols -> pair(cols, BE::logSoftmax);
            case "copy" -> cols -> pair(cols, BE::copy);
            case "argmax" -> cols -> {
                Tensor x = values(ROWS, cols);
                Tensor out = BE.zeros(ROWS);
                return () -> BE.argmax(x, out);
            };
            case "oneHot" -> cols -> {
                float[] labels = new float[ROWS];
                for (int i = 0; i < ROWS; i++) {
                    labels[i] = i % cols;
                }
                Tensor l = BE.tensor(labels, ROWS);
                Tensor out = BE.zeros(ROWS, cols);
                return () -> BE.oneHot(l, 1f, 0f, out);
            };
            case "gatherRows" -> cols -> {
                Tensor src = values(ROWS, cols);
                Tensor out = BE.zeros(ROWS / 2, cols);
                int[] indices = indices();
                return () -> BE.gatherRows(src, indices, 1, out);
            };
            case "scatterAddRows" -> cols -> {
                Tensor src = values(ROWS / 2, cols);
                Tensor out = BE.zeros(ROWS, cols);
                int[] indices = indices();
                return () -> BE.scatterAddRows(src, indices, 1, out);
            };
            case "copyColumns" -> cols -> {
                Tensor src = values(ROWS, cols);
                Tensor dst = BE.zeros(ROWS, cols);
                return () -> BE.copyColumns(src, 1, dst, 0, cols - 1);
            };
            case "layerNorm" -> cols -> {
                Tensor x = values(ROWS, cols);
                Tensor gamma = BE.full(1f, cols);
                Tensor beta = BE.zeros(cols);
                Tensor out = BE.zeros(ROWS, cols);
                Tensor mean = BE.zeros(ROWS);
                Tensor rstd = BE.zeros(ROWS);
                return () -> BE.layerNorm(x, gamma, beta, 1e-5f, out, mean, rstd);
            };
            case "layerNormBackward" -> cols -> {
                Tensor x = values(ROWS, cols);
                Tensor gamma = BE.full(1f, cols);
                Tensor mean = BE.full(0.1f, ROWS);
                Tensor rstd = BE.full(2f, ROWS);
                Tensor dy = values(ROWS, cols);
                Tensor dx = BE.zeros(ROWS, cols);
                Tensor dgamma = BE.zeros(cols);
                Tensor dbeta = BE.zeros(cols);
                return () -> BE.layerNormBackward(x, mean, rstd, gamma, dy, dx, dgamma, dbeta);
            };
            case "batchedGemm" -> cols -> {
                Tensor a = values(4, ROWS, cols);
                Tensor b = values(4, cols, cols);
                Tensor c = BE.zeros(4, ROWS, cols);
                return () -> BE.batchedGemm(false, true, 1f, a, b, 0f, c);
            };
            case "linear" -> cols -> {
                Tensor x = values(ROWS, cols);
                Tensor w = values(cols, cols);
                Tensor bias = BE.zeros(cols);
                Tensor out = BE.zeros(ROWS, cols);
                return () -> BE.linear(x, w, bias, Activation.RELU, 0f, out);
            };
            case "linearPacked" -> cols -> {
                Tensor x = values(ROWS, cols);
                PackedWeights w = BE.packWeights(values(cols, cols));
                Tensor bias = BE.zeros(cols);
                Tensor out = BE.zeros(ROWS, cols);
                return () -> BE.linear(x, w, bias, Activation.RELU, 0f, out);
            };
            case "transpose" -> cols -> {
                Tensor x = values(ROWS, cols);
                Tensor out = BE.zeros(cols, ROWS);
                return () -> BE.transpose(x, out);
            };
            case "conv2d" -> cols -> {
                Conv2dGeometry g = Conv2dGeometry.conv(2, 3, cols, cols, 4, 3, 3, 1, 1, 1, 1);
                Tensor x = values(2, 3, cols, cols);
                Tensor w = values(4, 3, 3, 3);
                Tensor bias = BE.zeros(4);
                Tensor out = BE.zeros(2, 4, cols, cols);
                return () -> BE.conv2d(x, w, bias, g, out);
            };
            case "conv2dBackwardData" -> cols -> {
                Conv2dGeometry g = Conv2dGeometry.conv(2, 3, cols, cols, 4, 3, 3, 1, 1, 1, 1);
                Tensor dy = values(2, 4, cols, cols);
                Tensor w = values(4, 3, 3, 3);
                Tensor dx = BE.zeros(2, 3, cols, cols);
                return () -> BE.conv2dBackwardData(dy, w, g, dx);
            };
            case "conv2dBackwardWeights" -> cols -> {
                Conv2dGeometry g = Conv2dGeometry.conv(2, 3, cols, cols, 4, 3, 3, 1, 1, 1, 1);
                Tensor dy = values(2, 4, cols, cols);
                Tensor x = values(2, 3, cols, cols);
                Tensor dw = BE.zeros(4, 3, 3, 3);
                Tensor dbias = BE.zeros(4);
                return () -> BE.conv2dBackwardWeights(dy, x, g, dw, dbias);
            };
            case "shiftImages" -> cols -> {
                Tensor x = values(2, 3, cols, cols);
                Tensor out = BE.zeros(2, 3, cols, cols);
                int[] moves = {1, -1, 0, -1, 0, 1};
                return () -> BE.shiftImages(x, moves, out);
            };
            case "sgd" -> cols -> {
                Tensor p = values(ROWS, cols);
                Tensor g = values(ROWS, cols);
                Tensor velocity = BE.zeros(ROWS, cols);
                return () -> BE.sgdUpdate(p, g, velocity, 1e-3f, 0.9f, 1e-4f, true);
            };
            case "adam" -> cols -> {
                Tensor p = values(ROWS, cols);
                Tensor g = values(ROWS, cols);
                Tensor m = BE.zeros(ROWS, cols);
                Tensor v = BE.zeros(ROWS, cols);
                return () -> BE.adamUpdate(p, g, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true, 5);
            };
            case "rmsprop" -> cols -> {
                Tensor p = values(ROWS, cols);
                Tensor g = values(ROWS, cols);
                Tensor sq = BE.zeros(ROWS, cols);
                return () -> BE.rmspropUpdate(p, g, sq, 1e-3f, 0.99f, 1e-8f, 1e-4f);
            };
            case "adagrad" -> cols -> {
                Tensor p = values(ROWS, cols);
                Tensor g = values(ROWS, cols);
                Tensor sum = BE.zeros(ROWS, cols);
                return () -> BE.adagradUpdate(p, g, sum, 1e-3f, 1e-8f, 1e-4f);
            };
            case "fill" -> cols -> {
                Tensor t = BE.zeros(ROWS, cols);
                return () -> BE.fill(t, 0.5f);
            };
            case "randomUniform" -> cols -> {
                Tensor t = BE.zeros(ROWS, cols);
                return () -> BE.randomUniform(7L, -1f, 1f, t);
            };
            case "randomNormal" -> cols -> {
                Tensor t = BE.zeros(ROWS, cols);
                return () -> BE.randomNormal(7L, 0f, 1f, t);
            };
            case "bernoulliMask" -> cols -> {
                Tensor t = BE.zeros(ROWS, cols);
                return () -> BE.bernoulliMask(7L, 0.8f, 1.25f, t);
            };
            default -> throw new IllegalArgumentException("no such form: " + name);
        };
    }

    interface Pair {
        void run(Tensor x, Tensor out);
    }

    private static Runnable pair(int cols, Pair op) {
        Tensor x = values(ROWS, cols);
        Tensor out = BE.zeros(ROWS, cols);
        return () -> op.run(x, out);
    }

    private static Form unary(UnaryOp op) {
        return cols -> pair(cols, (x, out) -> BE.unary(op, x, out));
    }

    /** a [64, cols] with b of a's shape (rows 64) or one row broadcast down the columns (rows 1). */
    private static Form binary(BinaryOp op, int bRows) {
        return cols -> {
            Tensor a = values(ROWS, cols);
            Tensor b = positive(bRows, cols);
            Tensor out = BE.zeros(ROWS, cols);
            return () -> BE.binary(op, a, b, out);
        };
    }

    private static Form binaryColumn(BinaryOp op) {
        return cols -> {
            Tensor a = values(ROWS, cols);
            Tensor b = positive(ROWS, 1);
            Tensor out = BE.zeros(ROWS, cols);
            return () -> BE.binary(op, a, b, out);
        };
    }

    private static Form reduce(ReduceOp op, int axis) {
        return cols -> {
            Tensor x = values(ROWS, cols);
            Tensor out = BE.zeros(axis == 1 ? ROWS : cols);
            return () -> BE.reduce(op, x, axis, out);
        };
    }

    private static Form reduceAll(ReduceOp op) {
        return cols -> {
            Tensor x = values(ROWS, cols);
            Tensor out = BE.zeros(1);
            return () -> BE.reduceAll(op, x, out);
        };
    }

    private static Form activation(Activation act) {
        return cols -> pair(cols, (x, out) -> BE.activation(act, 0.1f, x, out));
    }

    private static Form activationBackward(Activation act) {
        return cols -> {
            Tensor x = values(ROWS, cols);
            Tensor y = BE.zeros(ROWS, cols);
            BE.activation(act, 0.1f, x, y);
            Tensor dy = values(ROWS, cols);
            Tensor dx = BE.zeros(ROWS, cols);
            return () -> BE.activationBackward(act, 0.1f, x, y, dy, dx);
        };
    }

    /** 2 x 2 windows, stride 2, over 2 images of 3 channels of (2 cols) x (2 cols). */
    private static Conv2dGeometry poolGeometry(int cols) {
        return Conv2dGeometry.pool(2, 3, 2 * cols, 2 * cols, 2, 2, 2, 2, 0, 0);
    }

    private static Form pool(PoolOp op) {
        return cols -> {
            Conv2dGeometry g = poolGeometry(cols);
            Tensor x = values(2, 3, 2 * cols, 2 * cols);
            Tensor out = BE.zeros(2, 3, cols, cols);
            return () -> BE.pool2d(op, x, g, out);
        };
    }

    private static Form poolBackward(PoolOp op) {
        return cols -> {
            Conv2dGeometry g = poolGeometry(cols);
            Tensor x = values(2, 3, 2 * cols, 2 * cols);
            Tensor out = BE.zeros(2, 3, cols, cols);
            BE.pool2d(op, x, g, out);
            Tensor dOut = values(2, 3, cols, cols);
            Tensor dx = BE.zeros(2, 3, 2 * cols, 2 * cols);
            return () -> BE.pool2dBackward(op, x, out, dOut, g, dx);
        };
    }

    /**
     * op(A) [m, k] times op(B) [k, n], where the dimensions named ({@code "nk"}: n and k, a 64-row
     * batch; or one of m, n, k alone) are the width and the others 64 rows or {@link #wide()}.
     */
    private static Form gemm(boolean transA, boolean transB, String narrowed) {
        return cols -> {
            int m = narrowed.contains("m") ? cols : ROWS;
            int n = narrowed.contains("n") ? cols : wide();
            int k = narrowed.contains("k") ? cols : wide();
            Tensor a = transA ? values(k, m) : values(m, k);
            Tensor b = transB ? values(n, k) : values(k, n);
            Tensor c = BE.zeros(m, n);
            return () -> BE.gemm(transA, transB, 1f, a, b, 0f, c);
        };
    }

    /** The wide width: two vectors and a tail of 3, or {@code -Dwide=} to try another by hand. */
    private static int wide() {
        return Integer.getInteger("wide", 2 * Simd.L + 3);
    }

    private static int[] indices() {
        int[] indices = new int[ROWS / 2 + 1];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i * 7 % ROWS;
        }
        return indices;
    }

    /** Whether steady calls at {@code wide} allocate nothing; prints the least bytes of 20 calls. */
    private static boolean report(String name, int wide, Form form) {
        Runnable wideCall = form.at(wide);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        long start = System.nanoTime();
        int round = 0;
        while (least > 0 && round < MAX_ROUNDS && System.nanoTime() - start < MAX_NANOS) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20; i++) {
                wideCall.run();
            }
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
            round++;
        }
        System.out.printf("%s: width %d after %d calls at width %d: least %d bytes a 20 calls, in %d rounds, %.1f s%n",
                name, wide, NARROW_CALLS, NARROW, least, round, (System.nanoTime() - start) / 1e9);
        return least == 0;
    }

    /** Values in [-1.5, 1.6), spread without a pattern of the vector length. */
    private static Tensor values(int... dims) {
        return filled(i -> (i * 37 % 23) / 7f - 1.5f, dims);
    }

    /** Values in [0.5, 2): divisors and bases that give finite results. */
    private static Tensor positive(int... dims) {
        return filled(i -> 0.5f + (i * 37 % 23) / 16f, dims);
    }

    private interface Values {
        float at(int i);
    }

    private static Tensor filled(Values values, int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = values.at(i);
        }
        return BE.tensor(v, dims);
    }
}
