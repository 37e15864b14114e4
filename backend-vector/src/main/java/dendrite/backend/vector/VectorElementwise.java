package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.L;

import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Elementwise kernels over ranges of {@code float[]}: a vector loop, then the last {@code n % L}
 * elements one at a time with the lanes' IEEE operations (the same bits). The output may be an input
 * (each vector is loaded before it is stored).
 *
 * <p>No masked tails: a masked load or store that reaches past the end of its array is checked out of
 * line, and where C2 does not judge that tail hot the check allocates a {@code boolean[]} per call. On
 * an AVX-512 host run with {@code -XX:UseAVX=2}, Adadelta's two square roots of a 10-element bias then
 * allocated 96 bytes a training step in CI (never on an AVX2 Zen 3 host); a scalar tail has nothing to
 * allocate on any CPU.
 *
 * <p>The Vector API compiles a lanewise op to one instruction only when the operator is a
 * constant, so each op gets its own loop rather than passing {@code VectorOperators} around, and
 * each unary op its own method, small enough for both JIT compilers.
 */
final class VectorElementwise {
    private VectorElementwise() {
    }

    /** {@code out[i] = op(x[i])} for n elements. */
    static void unary(UnaryOp op, int n, float[] x, int xOff, float[] out, int outOff) {
        switch (op) {
            case NEG -> unaryNeg(n, x, xOff, out, outOff);
            case EXP -> unaryExp(n, x, xOff, out, outOff);
            case LOG -> unaryLog(n, x, xOff, out, outOff);
            case SQRT -> unarySqrt(n, x, xOff, out, outOff);
            case ABS -> unaryAbs(n, x, xOff, out, outOff);
            case SQUARE -> unarySquare(n, x, xOff, out, outOff);
            case RECIPROCAL -> unaryReciprocal(n, x, xOff, out, outOff);
            case SIGN -> unarySign(n, x, xOff, out, outOff);
            case RSQRT -> unaryRsqrt(n, x, xOff, out, outOff);
        }
    }

    private static void unaryNeg(int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, x, xOff + i).neg().intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = -x[xOff + i];
        }
    }

    private static void unaryExp(int n, float[] x, int xOff, float[] out, int outOff) {
        VectorMath.exp(x, xOff, 1f, 0f, out, outOff, n);
    }

    private static void unaryLog(int n, float[] x, int xOff, float[] out, int outOff) {
        VectorLog.log(n, x, xOff, out, outOff);
    }

    private static void unarySqrt(int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, x, xOff + i).sqrt().intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = (float) Math.sqrt(x[xOff + i]);       // correctly rounded, as the lanes' sqrt
        }
    }

    private static void unaryAbs(int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, x, xOff + i).abs().intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = Math.abs(x[xOff + i]);
        }
    }

    private static void unarySquare(int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            v.mul(v).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            float v = x[xOff + i];
            out[outOff + i] = v * v;
        }
    }

    private static void unaryReciprocal(int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (; i < bound; i += L) {
            one.div(FloatVector.fromArray(F, x, xOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = 1f / x[xOff + i];
        }
    }

    /** 1 / sqrt x as two correctly rounded steps (within an ulp or two of the reference's double). */
    private static void unaryRsqrt(int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (; i < bound; i += L) {
            one.div(FloatVector.fromArray(F, x, xOff + i).sqrt()).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = 1f / (float) Math.sqrt(x[xOff + i]);
        }
    }

    private static void unarySign(int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            sign(FloatVector.fromArray(F, x, xOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = Math.signum(x[xOff + i]);
        }
    }


    /** {@link Math#signum}: 1 above zero, -1 below, and x itself for +-0 and NaN. */
    private static FloatVector sign(FloatVector x) {
        return x.blend(1f, x.compare(VectorOperators.GT, 0f)).blend(-1f, x.compare(VectorOperators.LT, 0f));
    }

    /** {@code out[i] = alpha * x[i] + beta}: a multiply and an add, unfused, like the reference. */
    static void affine(int n, float[] x, int xOff, float alpha, float beta, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, x, xOff + i).mul(alpha).add(beta).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = x[xOff + i] * alpha + beta;
        }
    }

    /**
     * {@code out[i] = x[i] ^ p}, as the reference computes it ({@link Math#pow}, element by element;
     * see {@link #binaryPow} for why no vector).
     */
    static void powScalar(int n, float[] x, int xOff, float p, float[] out, int outOff) {
        if (p == 2f) {
            unary(UnaryOp.SQUARE, n, x, xOff, out, outOff);   // exact, and pow(x, 2) == x * x
            return;
        }
        scalarPow(n, x, xOff, p, out, outOff);
    }

    /** {@code out[i] = min(max(x[i], lo), hi)}; NaN stays NaN. */
    static void clamp(int n, float[] x, int xOff, float lo, float hi, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, x, xOff + i).max(lo).min(hi).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = Math.min(Math.max(x[xOff + i], lo), hi);
        }
    }

    /**
     * {@code out[i] = op(a[i], b[i])} for n elements.
     *
     * <p>Like the unary ops, each binary op is a method of its own, with its vector operations
     * written in its loop. One method holding every op's loop compiled differently depending on
     * which ops the process had run: once all had been seen, C2's inlining budget ran out before the
     * small helpers that loaded the vectors, and every vector they returned was boxed (the CNN's
     * weight-gradient partial sums then allocated 600 KB a step in the full test run).
     */
    static void binary(BinaryOp op, int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        switch (op) {
            case ADD -> binaryAdd(n, a, aOff, b, bOff, out, outOff);
            case SUB -> binarySub(n, a, aOff, b, bOff, out, outOff);
            case MUL -> binaryMul(n, a, aOff, b, bOff, out, outOff);
            case DIV -> binaryDiv(n, a, aOff, b, bOff, out, outOff);
            case MAX -> binaryMax(n, a, aOff, b, bOff, out, outOff);
            case MIN -> binaryMin(n, a, aOff, b, bOff, out, outOff);
            case POW -> binaryPow(n, a, aOff, b, bOff, out, outOff);
        }
    }

    /** {@code out[i] = op(a[i], s)} for n elements: b broadcast as one value. Each op a method of its own, as in {@link #binary}. */
    static void binaryScalar(BinaryOp op, int n, float[] a, int aOff, float s, float[] out, int outOff) {
        switch (op) {
            case ADD -> scalarAdd(n, a, aOff, s, out, outOff);
            case SUB -> scalarSub(n, a, aOff, s, out, outOff);
            case MUL -> scalarMul(n, a, aOff, s, out, outOff);
            case DIV -> scalarDiv(n, a, aOff, s, out, outOff);
            case MAX -> scalarMax(n, a, aOff, s, out, outOff);
            case MIN -> scalarMin(n, a, aOff, s, out, outOff);
            case POW -> scalarPow(n, a, aOff, s, out, outOff);
        }
    }

    private static void binaryAdd(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, a, aOff + i).add(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] + b[bOff + i];
        }
    }

    private static void scalarAdd(int n, float[] a, int aOff, float s, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, a, aOff + i).add(s).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] + s;
        }
    }

    private static void binarySub(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, a, aOff + i).sub(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] - b[bOff + i];
        }
    }

    private static void scalarSub(int n, float[] a, int aOff, float s, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, a, aOff + i).sub(s).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] - s;
        }
    }

    private static void binaryMul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, a, aOff + i).mul(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] * b[bOff + i];
        }
    }

    private static void scalarMul(int n, float[] a, int aOff, float s, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, a, aOff + i).mul(s).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] * s;
        }
    }

    private static void binaryDiv(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, a, aOff + i).div(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] / b[bOff + i];
        }
    }

    private static void scalarDiv(int n, float[] a, int aOff, float s, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, a, aOff + i).div(s).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] / s;
        }
    }

    private static void binaryMax(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, a, aOff + i).max(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = Math.max(a[aOff + i], b[bOff + i]);
        }
    }

    private static void scalarMax(int n, float[] a, int aOff, float s, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, a, aOff + i).max(s).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = Math.max(a[aOff + i], s);
        }
    }

    private static void binaryMin(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, a, aOff + i).min(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = Math.min(a[aOff + i], b[bOff + i]);
        }
    }

    private static void scalarMin(int n, float[] a, int aOff, float s, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, a, aOff + i).min(s).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = Math.min(a[aOff + i], s);
        }
    }

    /**
     * POW element by element with {@link Math#pow}, as the reference: the Vector API's POW is a call
     * into the JDK's vector math library where it has one for the CPU (its bits then differ from the
     * interpreter's) and otherwise a Java fallback that boxes every vector (as on AVX2 CPUs); Math.pow
     * gives the same bits compiled and interpreted, allocating nothing. No layer, loss or optimizer
     * uses POW.
     */
    private static void binaryPow(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) Math.pow(a[aOff + i], b[bOff + i]);
        }
    }

    /** {@link #binaryPow} with one exponent for every element. */
    private static void scalarPow(int n, float[] a, int aOff, float s, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) Math.pow(a[aOff + i], s);
        }
    }

    /** One value of a binary op, as the reference computes it. */
    static float apply(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (float) Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }

    /** Sets n elements to {@code value}. */
    static void fill(int n, float[] x, int off, float value) {
        FloatVector v = FloatVector.broadcast(F, value);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            v.intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] = value;
        }
    }
}
