package dendrite.tensor;

import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.spi.Broadcast;

/**
 * The front's argument checks: every backend rejects the same inputs with the same message,
 * because only {@link Backend} runs them. Each check names the operation and the shapes involved,
 * and returns what the kernel needs without allocating (a training step calls these thousands of
 * times, so messages are built only when throwing).
 */
final class Check {
    private Check() {
    }

    /** {@code t} belongs to {@code be} and is still alive; null is allowed (optional operands). */
    static void owned(Backend be, Tensor t) {
        if (t == null) {
            return;
        }
        if (t.backend() != be) {
            throw new IllegalArgumentException("tensor " + t.shape() + " belongs to backend '" + t.backend().name()
                    + "', not '" + be.name() + "': copy it with toArray() and tensor()");
        }
        if (!t.isAlive()) {
            t.requireAlive("backend " + be.name());
        }
    }

    static void owned(Backend be, Tensor a, Tensor b) {
        owned(be, a);
        owned(be, b);
    }

    static void owned(Backend be, Tensor a, Tensor b, Tensor c) {
        owned(be, a);
        owned(be, b);
        owned(be, c);
    }

    /** A tensor the operation cannot do without. */
    static Tensor present(String op, String what, Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + what + " is null");
        }
        return t;
    }

    /** The operation an enum argument selects ({@code UnaryOp}, {@code Activation}, ...), which cannot be null. */
    static <T> T operation(String method, String what, T op) {
        if (op == null) {
            throw new IllegalArgumentException(method + ": " + what + " is null");
        }
        return op;
    }

    private static String t(Shape s, boolean trans) {
        return s + (trans ? "^T" : "");
    }

    private static String gemmDesc(Shape sa, boolean transA, Shape sb, boolean transB) {
        return "matmul: " + t(sa, transA) + " x " + t(sb, transB);
    }

    /** Checks {@code C = op(A) op(B)} and returns k (m and n are C's dimensions). */
    static int gemm(Backend be, boolean transA, boolean transB, Tensor a, Tensor b, Tensor c) {
        present("matmul", "A", a);
        present("matmul", "B", b);
        present("matmul", "C", c);
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
            throw new IllegalArgumentException(gemmDesc(sa, transA, sb, transB) + ": inner dimensions " + ka + " and "
                    + kb + " differ");
        }
        if (sc.rank() != 2 || sc.dim(0) != m || sc.dim(1) != n) {
            throw new IllegalArgumentException(gemmDesc(sa, transA, sb, transB) + ": output is " + sc + ", expected ["
                    + m + ", " + n + "]");
        }
        if (c.storage() == a.storage() || c.storage() == b.storage()) {
            throw new IllegalArgumentException(gemmDesc(sa, transA, sb, transB)
                    + ": the output must not share memory with an input");
        }
        return ka;
    }

    private static String batchedDesc(Shape sa, boolean transA, Shape sb, boolean transB) {
        return "batchedGemm: " + t(sa, transA) + " x " + t(sb, transB);
    }

    /**
     * Checks {@code C[i] = op(A[i]) op(B[i])} for 3-D operands with one batch, and returns k (the batch,
     * m and n are C's dimensions).
     */
    static int batchedGemm(Backend be, boolean transA, boolean transB, Tensor a, Tensor b, Tensor c) {
        present("batchedGemm", "A", a);
        present("batchedGemm", "B", b);
        present("batchedGemm", "C", c);
        owned(be, a, b, c);
        Shape sa = a.shape(), sb = b.shape(), sc = c.shape();
        if (sa.rank() != 3 || sb.rank() != 3) {
            throw new IllegalArgumentException(batchedDesc(sa, transA, sb, transB)
                    + ": both operands must be 3-D [batch, rows, columns]");
        }
        if (sa.dim(0) != sb.dim(0)) {
            throw new IllegalArgumentException(batchedDesc(sa, transA, sb, transB) + ": batches " + sa.dim(0)
                    + " and " + sb.dim(0) + " differ");
        }
        int m = transA ? sa.dim(2) : sa.dim(1);
        int ka = transA ? sa.dim(1) : sa.dim(2);
        int kb = transB ? sb.dim(2) : sb.dim(1);
        int n = transB ? sb.dim(1) : sb.dim(2);
        if (ka != kb) {
            throw new IllegalArgumentException(batchedDesc(sa, transA, sb, transB) + ": inner dimensions " + ka
                    + " and " + kb + " differ");
        }
        if (sc.rank() != 3 || sc.dim(0) != sa.dim(0) || sc.dim(1) != m || sc.dim(2) != n) {
            throw new IllegalArgumentException(batchedDesc(sa, transA, sb, transB) + ": output is " + sc
                    + ", expected [" + sa.dim(0) + ", " + m + ", " + n + "]");
        }
        if (c.storage() == a.storage() || c.storage() == b.storage()) {
            throw new IllegalArgumentException(batchedDesc(sa, transA, sb, transB)
                    + ": the output must not share memory with an input");
        }
        return ka;
    }

    /** Checks {@code out = act(x w^T + bias)}; returns k, the input features. */
    static int linear(Backend be, Tensor x, Tensor w, Tensor bias, Tensor out) {
        int k = gemm(be, false, true, x, w, out);
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

    /** {@code out = x w^T + bias} with w packed ({@code ws} its shape, {@code packed} its values); returns k. */
    static int linearPacked(Backend be, Tensor x, Shape ws, Tensor packed, Tensor bias, Tensor out) {
        present("linear", "input", x);
        present("linear", "output", out);
        owned(be, x, packed, out);
        Shape sx = x.shape(), so = out.shape();
        if (sx.rank() != 2) {
            throw new IllegalArgumentException("linear: input " + sx + " x packed weights " + ws
                    + "^T: the input must be 2-D");
        }
        int m = sx.dim(0);
        int k = sx.dim(1);
        int n = ws.dim(0);
        if (k != ws.dim(1)) {
            throw new IllegalArgumentException("linear: input " + sx + " x packed weights " + ws + "^T: inner dimensions "
                    + k + " and " + ws.dim(1) + " differ");
        }
        if (so.rank() != 2 || so.dim(0) != m || so.dim(1) != n) {
            throw new IllegalArgumentException("linear: input " + sx + " x packed weights " + ws + "^T: output is " + so
                    + ", expected [" + m + ", " + n + "]");
        }
        if (out.storage() == x.storage()) {
            throw new IllegalArgumentException("linear: the output must not share memory with the input");
        }
        if (bias != null) {
            owned(be, bias);
            if (bias.size() != n) {
                throw new IllegalArgumentException("linear: bias " + bias.shape() + " does not fit " + n
                        + " output features (packed weights " + ws + ")");
            }
        }
        return k;
    }

    /** Same shape for an elementwise op's input and output. */
    static void sameShape(Backend be, String op, Tensor x, Tensor out) {
        present(op, "input", x);
        present(op, "output", out);
        owned(be, x, out);
        if (!x.shape().equals(out.shape())) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " and output " + out.shape() + " differ");
        }
    }

    /** Every non-null tensor has the shape of {@code first} (state beside its parameter). */
    static void sameShapeAs(Backend be, String op, Tensor first, Tensor o) {
        if (o == null) {
            return;
        }
        owned(be, o);
        if (!o.shape().equals(first.shape())) {
            throw new IllegalArgumentException(op + ": shapes " + first.shape() + " and " + o.shape() + " differ");
        }
    }

    /** An optimizer update's parameter, gradient and state: all present, all of one shape. */
    static void update(Backend be, String op, Tensor param, Tensor grad, Tensor s1, Tensor s2) {
        present(op, "parameter", param);
        present(op, "gradient", grad);
        owned(be, param);
        sameShapeAs(be, op, param, grad);
        sameShapeAs(be, op, param, s1);
        sameShapeAs(be, op, param, s2);
    }

    /** Optimizer state the update needs. */
    static void state(String op, Tensor s) {
        if (s == null) {
            throw new IllegalArgumentException(op + ": optimizer state tensor is null");
        }
    }

    /** Same number of elements (a copy between reshapes of each other). */
    static void sameSize(Backend be, String op, Tensor src, Tensor dst) {
        present(op, "source", src);
        present(op, "destination", dst);
        owned(be, src, dst);
        if (src.size() != dst.size()) {
            throw new IllegalArgumentException(op + ": sizes differ: " + src.shape() + " (" + src.size() + ") and "
                    + dst.shape() + " (" + dst.size() + ")");
        }
    }

    /** Checks a binary op and returns how b is broadcast to a. */
    static Broadcast binary(Backend be, String op, Tensor a, Tensor b, Tensor out) {
        present(op, "first operand", a);
        present(op, "second operand", b);
        present(op, "output", out);
        owned(be, a, b, out);
        Broadcast bc = broadcast(op, a.shape(), b.shape());
        if (!a.shape().equals(out.shape())) {
            throw new IllegalArgumentException(op + ": output " + out.shape() + " differs from input " + a.shape());
        }
        return bc;
    }

    /** The broadcast that fits b to a, or an exception naming {@code op} and both shapes. */
    static Broadcast broadcast(String op, Shape a, Shape b) {
        if (a.equals(b)) {
            return Broadcast.SAME;
        }
        if (b.size() == 1) {
            return Broadcast.SCALAR;
        }
        int cols = a.last();
        if (a.rank() >= 1 && b.size() == cols && (b.rank() == 1 || (b.rank() == 2 && b.dim(0) == 1))) {
            return Broadcast.ROW;
        }
        if (a.rank() >= 2 && b.last() == 1 && b.size() == a.leading()) {
            return Broadcast.COLUMN;
        }
        if (a.size() == b.size() && a.rank() <= 1 && b.rank() <= 1) {
            return Broadcast.SAME;
        }
        throw new IllegalArgumentException(op + ": shapes " + a + " and " + b + " cannot be broadcast (the second must be "
                + a + ", [" + cols + "], [1, " + cols + "], [" + a.leading() + ", 1] or a single value)");
    }

    /**
     * Checks a reduction along {@code axis} and returns the normalized axis; the kernel sees x as
     * [outer, len, inner] with the reduced axis in the middle.
     */
    static int reduce(Backend be, String op, Tensor x, int axis, Tensor out) {
        present(op, "input", x);
        present(op, "output", out);
        owned(be, x, out);
        Shape s = x.shape();
        if (s.rank() == 0) {
            throw new IllegalArgumentException(op + ": a scalar has no axis " + axis);
        }
        int a = s.normalizeAxis(axis);
        int inner = inner(s, a);
        int outer = s.size() / (s.dim(a) * inner);
        if (out.size() != outer * inner) {
            throw new IllegalArgumentException(op + ": reducing " + s + " along axis " + axis + " gives " + s.without(a)
                    + ", but the output is " + out.shape());
        }
        distinct(op, "output", out, "input", x);
        return a;
    }

    /** The product of the dimensions after {@code axis}. */
    static int inner(Shape s, int axis) {
        int inner = 1;
        for (int i = axis + 1; i < s.rank(); i++) {
            inner *= s.dim(i);
        }
        return inner;
    }

    /** Checks a whole-tensor reduction into a tensor of size 1. */
    static void reduceAll(Backend be, String op, Tensor x, Tensor out) {
        present(op, "input", x);
        present(op, "output", out);
        owned(be, x, out);
        if (out.size() != 1) {
            throw new IllegalArgumentException(op + ": reducing all of " + x.shape()
                    + " gives one value, but the output is " + out.shape());
        }
        distinct(op, "output", out, "input", x);
    }

    /** Checks argmax: out has one value per row. */
    static void argmax(Backend be, Tensor x, Tensor out) {
        present("argmax", "input", x);
        present("argmax", "output", out);
        owned(be, x, out);
        if (x.rank() == 0 || out.size() != x.shape().leading()) {
            throw new IllegalArgumentException("argmax: input " + x.shape() + " has " + x.shape().leading()
                    + " rows, but the output " + out.shape() + " holds " + out.size());
        }
        distinct("argmax", "output", out, "input", x);
    }

    /** Checks one-hot encoding; returns the number of classes. */
    static int oneHot(Backend be, Tensor labels, Tensor out) {
        present("oneHot", "labels", labels);
        present("oneHot", "output", out);
        owned(be, labels, out);
        if (out.rank() != 2 || out.dim(0) != labels.size()) {
            throw new IllegalArgumentException("oneHot: " + labels.size() + " labels " + labels.shape()
                    + " need an output of shape [" + labels.size() + ", classes], not " + out.shape());
        }
        distinct("oneHot", "output", out, "labels", labels);
        return out.dim(1);
    }

    /** Checks a transpose of a 2-D tensor into a tensor that does not overlap it. */
    static void transpose(Backend be, Tensor a, Tensor out) {
        present("transpose", "input", a);
        present("transpose", "output", out);
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

    /** Checks a column-block copy between two 2-D tensors with as many rows and separate storage. */
    static void copyColumns(Backend be, Tensor src, int srcColumn, Tensor dst, int dstColumn, int width) {
        present("copyColumns", "source", src);
        present("copyColumns", "destination", dst);
        owned(be, src, dst);
        if (src.rank() != 2 || dst.rank() != 2 || src.dim(0) != dst.dim(0)) {
            throw new IllegalArgumentException("copyColumns: source " + src.shape() + " and destination "
                    + dst.shape() + " must be 2-D with the same number of rows");
        }
        if (width < 0 || srcColumn < 0 || dstColumn < 0 || srcColumn > src.dim(1) - width
                || dstColumn > dst.dim(1) - width) {
            throw new IllegalArgumentException("copyColumns: " + width + " columns from column " + srcColumn + " of "
                    + src.shape() + " to column " + dstColumn + " of " + dst.shape() + " fall outside a tensor");
        }
        if (src.storage() == dst.storage()) {
            throw new IllegalArgumentException("copyColumns: the destination must not share memory with the source");
        }
    }

    /** Checks a row gather; every index used must be a row of src, and out must not share its memory. */
    static void gatherRows(Backend be, Tensor src, int[] indices, int from, Tensor out) {
        present("gatherRows", "output", out);
        rowMove(be, "gatherRows", src, indices, from, out, out.rank() == 0 ? 0 : out.dim(0), src, false);
        distinct("gatherRows", "output", out, "source", src);
    }

    /**
     * Checks a row scatter-add; every index used must be a row of out, or negative (skipped), and out
     * must not share src's memory.
     */
    static void scatterAddRows(Backend be, Tensor src, int[] indices, int from, Tensor out) {
        present("scatterAddRows", "source", src);
        rowMove(be, "scatterAddRows", src, indices, from, out, src.rank() == 0 ? 0 : src.dim(0), out, true);
        distinct("scatterAddRows", "output", out, "source", src);
    }

    /**
     * What a gather and a scatter share: both tensors present and of this backend, rows of the same
     * shape, {@code count} indices from {@code from}, each a row of {@code indexed} (or negative,
     * when {@code negativeSkips}).
     */
    private static void rowMove(Backend be, String op, Tensor src, int[] indices, int from, Tensor out, int count,
            Tensor indexed, boolean negativeSkips) {
        present(op, "source", src);
        present(op, "output", out);
        if (indices == null) {
            throw new IllegalArgumentException(op + ": indices is null");
        }
        owned(be, src, out);
        if (src.rank() == 0 || out.rank() != src.rank()) {
            throw new IllegalArgumentException(op + ": source " + src.shape() + " and output " + out.shape()
                    + " must have the same rank of at least 1");
        }
        for (int i = 1; i < src.rank(); i++) {
            if (src.dim(i) != out.dim(i)) {
                throw new IllegalArgumentException(op + ": rows of " + src.shape() + " do not fit output " + out.shape());
            }
        }
        if (from < 0 || from + count > indices.length) {
            throw new IllegalArgumentException(op + ": indices [" + from + ", " + (from + count) + ") exceed the "
                    + indices.length + " indices given");
        }
        int rows = indexed.dim(0);
        for (int r = 0; r < count; r++) {
            int idx = indices[from + r];
            if ((idx < 0 && !negativeSkips) || idx >= rows) {
                throw new IllegalArgumentException(op + ": index " + idx + " at position " + (from + r)
                        + " is not a row of " + indexed.shape());
            }
        }
    }

    /**
     * {@code t} has exactly the dimensions {@code [d0, d1, d2, d3]}, which {@code what} describes.
     * Compared one by one: a training step checks every image operation this way, so nothing here
     * may allocate.
     */
    private static void dims(String op, String role, Tensor t, String what, int d0, int d1, int d2, int d3) {
        if (t.rank() != 4 || t.dim(0) != d0 || t.dim(1) != d1 || t.dim(2) != d2 || t.dim(3) != d3) {
            throw new IllegalArgumentException(op + ": " + role + " " + t.shape() + " does not match the geometry's "
                    + Shape.of(d0, d1, d2, d3) + " (" + what + ")");
        }
    }

    private static void geometry(String op, Conv2dGeometry g) {
        if (g == null) {
            throw new IllegalArgumentException(op + ": geometry is null");
        }
    }

    /** Checks a convolution's input, weights, bias and output against its geometry. */
    static void conv2d(Backend be, String op, Conv2dGeometry g, Tensor x, Tensor w, Tensor bias, Tensor out,
            String outRole) {
        geometry(op, g);
        present(op, "input", x);
        present(op, "weight", w);
        present(op, outRole, out);
        owned(be, x, w, out);
        owned(be, bias);
        dims(op, "input", x, "batch, channels, height, width", g.batch(), g.channels(), g.height(), g.width());
        dims(op, "weight", w, "out channels, in channels / groups, kernel height, kernel width", g.outChannels(),
                g.groupChannels(), g.kernelH(), g.kernelW());
        if (bias != null && bias.size() != g.outChannels()) {
            throw new IllegalArgumentException(op + ": bias " + bias.shape() + " does not fit " + g.outChannels()
                    + " output channels");
        }
        dims(op, outRole, out, "batch, out channels, out height, out width", g.batch(), g.outChannels(), g.outH(),
                g.outW());
        if (out.storage() == x.storage() || out.storage() == w.storage()) {
            throw new IllegalArgumentException(op + ": the " + outRole + " must not share memory with an input");
        }
    }

    /** Checks a pooling window over a batch: per channel, input and output against the geometry. */
    static void pool2d(Backend be, String op, Conv2dGeometry g, Tensor x, Tensor out) {
        geometry(op, g);
        present(op, "input", x);
        present(op, "output", out);
        owned(be, x, out);
        if (g.outChannels() != g.channels() || g.groups() != g.channels()) {
            throw new IllegalArgumentException(op + ": a pooling geometry keeps each channel apart (outChannels and "
                    + "groups equal to the " + g.channels() + " channels; see Conv2dGeometry.pool), not " + g);
        }
        if (g.padH() > g.kernelH() / 2 || g.padW() > g.kernelW() / 2) {
            throw new IllegalArgumentException(op + ": padding " + g.padH() + "x" + g.padW() + " must be at most half the "
                    + g.kernelH() + "x" + g.kernelW() + " window, so every window holds a pixel (as PyTorch requires)");
        }
        dims(op, "input", x, "batch, channels, height, width", g.batch(), g.channels(), g.height(), g.width());
        dims(op, "output", out, "batch, channels, out height, out width", g.batch(), g.channels(), g.outH(), g.outW());
        if (out.storage() == x.storage()) {
            throw new IllegalArgumentException(op + ": the output must not share memory with the input");
        }
    }

    static void shiftImages(Backend be, Tensor x, int[] moves, Tensor out) {
        String op = "shiftImages";
        present(op, "input", x);
        present(op, "output", out);
        owned(be, x, out);
        if (x.rank() != 4 || !x.shape().equals(out.shape())) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " and output " + out.shape()
                    + " must be the same [batch, channels, height, width]");
        }
        distinct(op, "output", out, "input", x);
        int count = x.dim(0);
        if (moves == null || moves.length < 3L * count) {
            throw new IllegalArgumentException(op + ": " + count + " images need " + 3L * count
                    + " moves (row shift, column shift, flip for each), got " + (moves == null ? "null" : moves.length));
        }
        int height = x.dim(2);
        int width = x.dim(3);
        for (int i = 0; i < count; i++) {
            int dy = moves[3 * i];
            int dx = moves[3 * i + 1];
            int flip = moves[3 * i + 2];
            if (Math.abs((long) dy) > height || Math.abs((long) dx) > width || (flip != 0 && flip != 1)) {
                throw new IllegalArgumentException(op + ": image " + i + "'s move (" + dy + ", " + dx + ", " + flip
                        + ") must shift by at most " + height + " rows and " + width + " columns and flip 0 or 1");
            }
        }
    }

    /** An optional tensor of this backend holds exactly {@code size} values (any shape of that size). */
    private static void holds(Backend be, String op, String role, Tensor t, int size, String what, Shape x) {
        if (t == null) {
            return;
        }
        owned(be, t);
        if (t.size() != size) {
            throw new IllegalArgumentException(op + ": " + role + " " + t.shape() + " must hold " + size + " values ("
                    + what + " of input " + x + ")");
        }
    }

    /** Two tensors, either of them optional, must not share memory. */
    private static void apart(String op, String roleA, Tensor a, String roleB, Tensor b) {
        if (a != null && b != null) {
            distinct(op, roleA, a, roleB, b);
        }
    }

    private static void statisticsApart(String op, Tensor mean, Tensor rstd, Tensor t) {
        apart(op, "mean", mean, "other operands", t);
        apart(op, "rstd", rstd, "other operands", t);
    }

    /** Checks a layer normalization's input, scale, shift, output and row statistics. */
    static void layerNorm(Backend be, Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out, Tensor mean,
            Tensor rstd) {
        String op = "layerNorm";
        present(op, "input", x);
        present(op, "output", out);
        present(op, "mean", mean);
        present(op, "rstd", rstd);
        owned(be, x, out);
        Shape s = x.shape();
        if (s.rank() == 0) {
            throw new IllegalArgumentException(op + ": a scalar has no last axis to normalize");
        }
        if (!s.equals(out.shape())) {
            throw new IllegalArgumentException(op + ": input " + s + " and output " + out.shape() + " differ");
        }
        if (!(eps >= 0f)) {
            throw new IllegalArgumentException(op + ": eps " + eps + " must be at least 0");
        }
        holds(be, op, "gamma", gamma, s.last(), "one per value of a row", s);
        holds(be, op, "beta", beta, s.last(), "one per value of a row", s);
        holds(be, op, "mean", mean, s.leading(), "one per row", s);
        holds(be, op, "rstd", rstd, s.leading(), "one per row", s);
        // The statistics are written while the rows are read and written: they must be memory of their own.
        // One call per operand, not a loop over an array of them, which cost every call 32 bytes.
        statisticsApart(op, mean, rstd, x);
        statisticsApart(op, mean, rstd, out);
        statisticsApart(op, mean, rstd, gamma);
        statisticsApart(op, mean, rstd, beta);
        distinct(op, "mean", mean, "rstd", rstd);
    }

    /** Checks a layer normalization's backward pass: the forward's operands, dy, and the three gradients. */
    static void layerNormBackward(Backend be, Tensor x, Tensor mean, Tensor rstd, Tensor gamma, Tensor dy, Tensor dx,
            Tensor dgamma, Tensor dbeta) {
        String op = "layerNorm backward";
        present(op, "input", x);
        present(op, "mean", mean);
        present(op, "rstd", rstd);
        present(op, "output gradient", dy);
        present(op, "input gradient", dx);
        owned(be, x);
        Shape s = x.shape();
        if (s.rank() == 0) {
            throw new IllegalArgumentException(op + ": a scalar has no last axis to normalize");
        }
        owned(be, dy, dx);
        if (!s.equals(dy.shape()) || !s.equals(dx.shape())) {
            throw new IllegalArgumentException(op + ": input " + s + ", output gradient " + dy.shape()
                    + " and input gradient " + dx.shape() + " must have one shape");
        }
        holds(be, op, "mean", mean, s.leading(), "one per row", s);
        holds(be, op, "rstd", rstd, s.leading(), "one per row", s);
        holds(be, op, "gamma", gamma, s.last(), "one per value of a row", s);
        holds(be, op, "gamma gradient", dgamma, s.last(), "one per value of a row", s);
        holds(be, op, "beta gradient", dbeta, s.last(), "one per value of a row", s);
        // Each gradient is written while the others' inputs are still read. One call per input, not a
        // loop over an array of them, which cost every call 40 bytes.
        gradientsApart(op, dx, dgamma, dbeta, x);
        gradientsApart(op, dx, dgamma, dbeta, mean);
        gradientsApart(op, dx, dgamma, dbeta, rstd);
        gradientsApart(op, dx, dgamma, dbeta, gamma);
        gradientsApart(op, dx, dgamma, dbeta, dy);
        apart(op, "gamma gradient", dgamma, "input gradient", dx);
        apart(op, "beta gradient", dbeta, "input gradient", dx);
        apart(op, "beta gradient", dbeta, "gamma gradient", dgamma);
    }

    private static void gradientsApart(String op, Tensor dx, Tensor dgamma, Tensor dbeta, Tensor input) {
        apart(op, "input gradient", dx, "inputs", input);
        apart(op, "gamma gradient", dgamma, "inputs", input);
        apart(op, "beta gradient", dbeta, "inputs", input);
    }

    /** Two tensors an operation reads and writes at once must not share memory. */
    static void distinct(String op, String roleA, Tensor a, String roleB, Tensor b) {
        if (a.storage() == b.storage()) {
            throw new IllegalArgumentException(op + ": the " + roleA + " must not share memory with the " + roleB);
        }
    }

    /** A host array range for {@code write} or {@code read}. */
    static void hostRange(String op, Tensor t, float[] array, int offset) {
        if (array == null) {
            throw new IllegalArgumentException(op + ": the array is null");
        }
        if (offset < 0 || array.length - (long) offset < t.size()) {
            throw new IllegalArgumentException(op + ": tensor " + t.shape() + " (" + t.size() + " values) and "
                    + array.length + " array values from offset " + offset + " do not fit");
        }
    }

    /** A probability in [0, 1]. */
    static void probability(String op, float p) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException(op + ": probability " + p + " is not in [0, 1]");
        }
    }
}
