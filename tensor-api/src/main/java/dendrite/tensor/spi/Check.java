package dendrite.tensor.spi;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

/**
 * Argument checks shared by every backend, so each one rejects the same inputs with the
 * same message. Each check names the operation and the shapes involved, and returns the
 * dimensions the kernel needs.
 */
public final class Check {
    private Check() {
    }

    /** The dimensions of a GEMM: op(A) is [m, k], op(B) is [k, n]. */
    public record GemmDims(int m, int n, int k) {
    }

    /** A reduction viewed as {@code [outer, len, inner]} with the reduced axis in the middle. */
    public record ReduceDims(int outer, int len, int inner) {
    }

    // Fixed-arity forms for the common cases: kernels call these on every op, and a varargs array
    // per call shows up in the bytes a training step allocates.

    /** {@code t} belongs to {@code backend} and is still alive (null is allowed). */
    public static void owned(Backend backend, Tensor t) {
        if (t == null) {
            return;
        }
        if (t.backend() != backend) {
            throw new IllegalArgumentException("tensor " + t.shape() + " belongs to backend '" + t.backend().name()
                    + "', not '" + backend.name() + "': copy it with toArray() and tensor()");
        }
        if (!t.isAlive()) {
            // The message is built only here: a concatenation on every check is a steady
            // allocation on the hot path of every kernel.
            t.requireAlive("backend " + backend.name());
        }
    }

    public static void owned(Backend backend, Tensor a, Tensor b) {
        owned(backend, a);
        owned(backend, b);
    }

    public static void owned(Backend backend, Tensor a, Tensor b, Tensor c) {
        owned(backend, a);
        owned(backend, b);
        owned(backend, c);
    }

    /** Each tensor belongs to {@code backend} and is still alive. */
    public static void owned(Backend backend, Tensor... tensors) {
        for (Tensor t : tensors) {
            owned(backend, t);
        }
    }

    private static String t(Shape s, boolean trans) {
        return s + (trans ? "^T" : "");
    }

    // Built only when throwing: a small GEMM is called often enough for the string to show in profiles.
    private static String gemmDesc(Shape sa, boolean transA, Shape sb, boolean transB) {
        return "matmul: " + t(sa, transA) + " x " + t(sb, transB);
    }

    /** Checks a GEMM {@code C = op(A) op(B)} and returns m, n, k. */
    public static GemmDims gemm(Backend be, boolean transA, boolean transB, Tensor a, Tensor b, Tensor c) {
        int k = gemmInner(be, transA, transB, a, b, c);
        return new GemmDims(c.dim(0), c.dim(1), k);
    }

    /**
     * Checks a GEMM as {@link #gemm} does and returns k alone (m and n are C's dimensions): no
     * record per call, for the kernels a training step calls many times.
     */
    public static int gemmInner(Backend be, boolean transA, boolean transB, Tensor a, Tensor b, Tensor c) {
        owned(be, a, b, c);
        Shape sa = a.shape(), sb = b.shape(), sc = c.shape();
        if (sa.rank() != 2 || sb.rank() != 2) {
            throw new IllegalArgumentException(gemmDesc(sa, transA, sb, transB) + ": both operands must be 2-D");
        }
        int m = transA ? sa.dim(1) : sa.dim(0);
        int ka = transA ? sa.dim(0) : sa.dim(1);
        int kb = transB ? sb.dim(1) : sb.dim(0);
        int n = transB ? sb.dim(0) : sb.dim(1);
        if (ka != kb) {
            throw new IllegalArgumentException(gemmDesc(sa, transA, sb, transB) + ": inner dimensions " + ka + " and " + kb + " differ");
        }
        if (sc.rank() != 2 || sc.dim(0) != m || sc.dim(1) != n) {
            throw new IllegalArgumentException(gemmDesc(sa, transA, sb, transB) + ": output is " + sc + ", expected [" + m + ", " + n + "]");
        }
        if (c.storage() == a.storage() || c.storage() == b.storage()) {
            throw new IllegalArgumentException(gemmDesc(sa, transA, sb, transB) + ": the output must not share memory with an input");
        }
        return ka;
    }

    /** Checks a dense forward {@code out = x w^T + bias}; returns m = batch, n = out features, k = in features. */
    public static GemmDims linear(Backend be, Tensor x, Tensor w, Tensor bias, Tensor out) {
        int k = linearInner(be, x, w, bias, out);
        return new GemmDims(out.dim(0), out.dim(1), k);
    }

    /** Checks a dense forward as {@link #linear} does and returns k (in features) alone, allocating nothing. */
    public static int linearInner(Backend be, Tensor x, Tensor w, Tensor bias, Tensor out) {
        int k = gemmInner(be, false, true, x, w, out);
        if (bias != null) {
            owned(be, bias);
            int n = out.dim(1);
            if (bias.size() != n) {
                throw new IllegalArgumentException("linear: bias " + bias.shape() + " does not fit " + n
                        + " output features (weight " + w.shape() + ")");
            }
        }
        return k;
    }

    /** Same shape for an elementwise op's input and output. */
    public static void sameShape(Backend be, String op, Tensor x, Tensor out) {
        owned(be, x, out);
        if (!x.shape().equals(out.shape())) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " and output " + out.shape() + " differ");
        }
    }

    /** {@link #allSameShape(Backend, String, Tensor, Tensor...)} for two others, without a varargs array. */
    public static void allSameShape(Backend be, String op, Tensor first, Tensor a, Tensor b) {
        owned(be, first);
        sameShapeAsFirst(be, op, first, a);
        sameShapeAsFirst(be, op, first, b);
    }

    /** {@link #allSameShape(Backend, String, Tensor, Tensor...)} for three others, without a varargs array. */
    public static void allSameShape(Backend be, String op, Tensor first, Tensor a, Tensor b, Tensor c) {
        owned(be, first);
        sameShapeAsFirst(be, op, first, a);
        sameShapeAsFirst(be, op, first, b);
        sameShapeAsFirst(be, op, first, c);
    }

    private static void sameShapeAsFirst(Backend be, String op, Tensor first, Tensor o) {
        if (o == null) {
            return;
        }
        owned(be, o);
        if (!o.shape().equals(first.shape())) {
            throw new IllegalArgumentException(op + ": shapes " + first.shape() + " and " + o.shape() + " differ");
        }
    }

    /** Every tensor has the shape of the first (optimizer state beside its parameter). */
    public static void allSameShape(Backend be, String op, Tensor first, Tensor... others) {
        owned(be, first);
        for (Tensor o : others) {
            if (o == null) {
                continue;
            }
            owned(be, o);
            if (!o.shape().equals(first.shape())) {
                throw new IllegalArgumentException(op + ": shapes " + first.shape() + " and " + o.shape() + " differ");
            }
        }
    }

    /** Same number of elements (copy between shapes that are reshapes of each other). */
    public static void sameSize(Backend be, String op, Tensor src, Tensor dst) {
        owned(be, src, dst);
        if (src.size() != dst.size()) {
            throw new IllegalArgumentException(op + ": sizes differ: " + src.shape() + " (" + src.size() + ") and "
                    + dst.shape() + " (" + dst.size() + ")");
        }
    }

    /** Checks a binary op and returns how b is broadcast. */
    public static Broadcast binary(Backend be, String op, Tensor a, Tensor b, Tensor out) {
        owned(be, a, b, out);
        Broadcast bc = Broadcast.of(op, a.shape(), b.shape());
        if (!a.shape().equals(out.shape())) {
            throw new IllegalArgumentException(op + ": output " + out.shape() + " differs from input " + a.shape());
        }
        return bc;
    }

    /** Checks a reduction along {@code axis}; returns the [outer, len, inner] view. */
    public static ReduceDims reduce(Backend be, String op, Tensor x, int axis, Tensor out) {
        owned(be, x, out);
        Shape s = x.shape();
        if (s.rank() == 0) {
            throw new IllegalArgumentException(op + ": a scalar has no axis " + axis);
        }
        int a = s.normalizeAxis(axis);
        int len = s.dim(a);
        int inner = 1;
        for (int i = a + 1; i < s.rank(); i++) {
            inner *= s.dim(i);
        }
        int outer = s.size() / (len * inner);
        if (out.size() != outer * inner) {
            throw new IllegalArgumentException(op + ": reducing " + s + " along axis " + axis + " gives " + s.without(a)
                    + ", but the output is " + out.shape());
        }
        return new ReduceDims(outer, len, inner);
    }

    /** Checks a whole-tensor reduction into a tensor of size 1. */
    public static void reduceAll(Backend be, String op, Tensor x, Tensor out) {
        owned(be, x, out);
        if (out.size() != 1) {
            throw new IllegalArgumentException(op + ": reducing all of " + x.shape() + " gives one value, but the output is "
                    + out.shape());
        }
    }

    /** Checks argmax: out has one value per row. */
    public static void argmax(Backend be, Tensor x, Tensor out) {
        owned(be, x, out);
        if (x.rank() == 0 || out.size() != x.shape().leading()) {
            throw new IllegalArgumentException("argmax: input " + x.shape() + " has " + x.shape().leading()
                    + " rows, but the output " + out.shape() + " holds " + out.size());
        }
    }

    /** Checks one-hot encoding; returns the number of classes. */
    public static int oneHot(Backend be, Tensor labels, Tensor out) {
        owned(be, labels, out);
        if (out.rank() != 2 || out.dim(0) != labels.size()) {
            throw new IllegalArgumentException("oneHot: " + labels.size() + " labels " + labels.shape()
                    + " need an output of shape [" + labels.size() + ", classes], not " + out.shape());
        }
        return out.dim(1);
    }

    /** Checks a transpose of a 2-D tensor. */
    public static void transpose(Backend be, Tensor a, Tensor out) {
        owned(be, a, out);
        Shape s = a.shape();
        if (s.rank() != 2) {
            throw new IllegalArgumentException("transpose: input " + s + " must be 2-D");
        }
        if (out.rank() != 2 || out.dim(0) != s.dim(1) || out.dim(1) != s.dim(0)) {
            throw new IllegalArgumentException("transpose: " + s + " gives [" + s.dim(1) + ", " + s.dim(0)
                    + "], but the output is " + out.shape());
        }
        if (a.storage() == out.storage()) {
            throw new IllegalArgumentException("transpose: the output must not share memory with the input");
        }
    }

    /** Checks a row gather; every index used must be a row of src. */
    public static void gatherRows(Backend be, Tensor src, int[] indices, int from, Tensor out) {
        owned(be, src, out);
        if (src.rank() == 0 || out.rank() != src.rank()) {
            throw new IllegalArgumentException("gatherRows: source " + src.shape() + " and output " + out.shape()
                    + " must have the same rank of at least 1");
        }
        for (int i = 1; i < src.rank(); i++) {
            if (src.dim(i) != out.dim(i)) {
                throw new IllegalArgumentException("gatherRows: rows of " + src.shape() + " do not fit output "
                        + out.shape());
            }
        }
        int count = out.dim(0);
        if (from < 0 || from + count > indices.length) {
            throw new IllegalArgumentException("gatherRows: indices [" + from + ", " + (from + count) + ") exceed the "
                    + indices.length + " indices given");
        }
        int rows = src.dim(0);
        for (int r = 0; r < count; r++) {
            int idx = indices[from + r];
            if (idx < 0 || idx >= rows) {
                throw new IllegalArgumentException("gatherRows: index " + idx + " at position " + (from + r)
                        + " is not a row of " + src.shape());
            }
        }
    }

    /** A probability in [0, 1]. */
    public static void probability(String op, float p) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException(op + ": probability " + p + " is not in [0, 1]");
        }
    }
}
