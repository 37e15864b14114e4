package dendrite.tensor.conformance;

/**
 * The tolerance of each kind of operation, in one place; {@link BackendConformanceTest}'s Javadoc
 * says why each is what it is.
 */
final class Tolerances {
    private Tolerances() {
    }

    /** Single IEEE operations (+, -, *, /, sqrt, 1/x) and their compositions: a few ulps. */
    static final Tolerance ELEMENTWISE = Tolerance.relative(1e-6, 0);

    /** exp, log, pow, sigmoid, tanh, both GELUs, softplus, softmax: library functions differ by a few ulps. */
    static final Tolerance TRANSCENDENTAL = Tolerance.relative(1e-5, 1e-6);

    /** log-softmax: {@code x - max - log(sum)} loses absolute, not relative, precision. */
    static final Tolerance LOG_SOFTMAX = Tolerance.relative(1e-5, 1e-5);

    /** Optimizer state and parameters after a few fused updates. */
    static final Tolerance OPTIMIZER = Tolerance.relative(1e-5, 1e-6);

    /** Relative error per term of a length-k dot product: k rounding errors of 2^-24 at most, with margin. */
    static final double GEMM_PER_K = 1e-6;

    /** Relative error (per term magnitude) of a sum of n terms, times max(1, ln n): summation order may differ. */
    static final double SUM_PER_LOG_N = 1e-5;

    /** The gemm tolerance: {@value #GEMM_PER_K} * k * (|alpha| sum |a||b| + |beta||c|) per element. */
    static Tolerance gemm(int k, double[] termScale) {
        return Tolerance.scaled(GEMM_PER_K * Math.max(1, k), termScale, "k * (|alpha| sum|a||b| + |beta||c|)");
    }

    /** The reduction tolerance for sums of {@code n} terms of total magnitude {@code termScale[i]}. */
    static Tolerance sum(int n, double[] termScale) {
        return Tolerance.scaled(SUM_PER_LOG_N * Math.max(1, Math.log(n)), termScale, "max(1, ln n) * sum of |terms|");
    }
}
