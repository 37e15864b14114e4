package dendrite.tensor.conformance;

import dendrite.tensor.op.Activation;

/**
 * The formulas of {@link dendrite.tensor.Backend}'s Javadoc written again in double precision,
 * independently of backend-scalar, for the specification tests: comparing scalar with itself
 * would prove nothing.
 */
final class Reference {
    private static final double GELU_C = Math.sqrt(2.0 / Math.PI);
    private static final double GELU_A = 0.044715;

    private Reference() {
    }

    /** Element (r, c) of a row-major [rows, cols] matrix, read as its transpose when {@code trans}. */
    private static double at(float[] x, int cols, boolean trans, int r, int c) {
        return trans ? x[c * cols + r] : x[r * cols + c];
    }

    /**
     * {@code alpha * op(A) op(B) + beta * C} in double, with op(A) [m, k] and op(B) [k, n] stored as
     * given (A is [k, m] when transposed). {@code c} may be null when beta is 0.
     */
    static double[] gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, float[] a, float[] b,
            double beta, float[] c) {
        double[] out = new double[m * n];
        int aCols = transA ? m : k;
        int bCols = transB ? k : n;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int l = 0; l < k; l++) {
                    s += at(a, aCols, transA, i, l) * at(b, bCols, transB, l, j);
                }
                out[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * n + j]);
            }
        }
        return out;
    }

    /** The magnitude of the terms of each gemm element: {@code |alpha| sum |a||b| + |beta||c|}. */
    static double[] gemmScale(boolean transA, boolean transB, int m, int n, int k, double alpha, float[] a,
            float[] b, double beta, float[] c) {
        float[] absA = abs(a);
        float[] absB = abs(b);
        float[] absC = c == null ? null : abs(c);
        return gemm(transA, transB, m, n, k, Math.abs(alpha), absA, absB, Math.abs(beta), absC);
    }

    static float[] abs(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.abs(x[i]);
        }
        return y;
    }

    /** The activation's definition in {@link Activation}'s Javadoc. */
    static double activation(Activation act, double param, double x) {
        return switch (act) {
            case IDENTITY -> x;
            case RELU -> x > 0 ? x : (Double.isNaN(x) ? x : 0);
            case LEAKY_RELU -> x > 0 ? x : param * x;
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
            case GELU -> x * normalCdf(x);
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(GELU_C * (x + GELU_A * x * x * x)));
            case SOFTPLUS -> x > 30 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
            case SILU -> x * (1 / (1 + Math.exp(-x)));
            case ELU -> x > 0 ? x : param * Math.expm1(x);
            case SELU -> 1.0507009873554804934 * (x > 0 ? x : 1.6732632423543772848 * Math.expm1(x));
            case MISH -> x * Math.tanh(x > 30 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
            case HARDSWISH -> x * Math.min(Math.max(x + 3, 0), 6) / 6;
        };
    }

    /**
     * The standard normal distribution function Phi(x) as the integral of the density, by composite
     * Simpson's rule: a method of its own, sharing nothing with backend-scalar's erfc (a series and a
     * continued fraction) or the float backends' (a fitted approximation, a device library's). For
     * negative x it integrates the left tail itself, so a tiny Phi keeps its relative precision; for
     * positive x it is one less the tail at -x. NaN for NaN, 0 and 1 at the infinities.
     */
    static double normalCdf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        return x < 0 ? upperTail(-x) : 1 - upperTail(x);
    }

    private static final int SIMPSON_INTERVALS = 4000;

    /**
     * {@code Q(a) = integral of phi from a to infinity} for a >= 0, over [a, a + s] where s is where
     * phi has fallen below 1e-17 of phi(a) ({@code a s + s^2 / 2 = 39}): the rest is negligible.
     */
    private static double upperTail(double a) {
        if (a == Double.POSITIVE_INFINITY) {
            return 0;
        }
        double span = -a + Math.sqrt(a * a + 78);
        double h = span / SIMPSON_INTERVALS;
        double sum = density(a) + density(a + span);
        for (int i = 1; i < SIMPSON_INTERVALS; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * density(a + i * h);
        }
        return sum * h / 3;
    }

    /** The standard normal density e^(-t^2/2) / sqrt(2 pi). */
    private static double density(double t) {
        return Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
    }

    /**
     * The derivative at x by a central difference of {@link #activation}: independent of any
     * closed-form derivative a backend may use. Not for points where the function has a kink.
     */
    static double numericDerivative(Activation act, double param, double x) {
        double h = 1e-6 * Math.max(1, Math.abs(x));
        return (activation(act, param, x + h) - activation(act, param, x - h)) / (2 * h);
    }

    // ------------------------------------------------------------------ optimizers, in place on double[]

    /** One SGD step as in {@link dendrite.tensor.Backend#sgdUpdate}'s Javadoc (PyTorch's definition). */
    static void sgd(double[] p, double[] g, double[] v, double lr, double mu, double wd, boolean nesterov) {
        for (int i = 0; i < p.length; i++) {
            double gi = g[i] + wd * p[i];
            if (mu != 0) {
                v[i] = mu * v[i] + gi;
                gi = nesterov ? gi + mu * v[i] : v[i];
            }
            p[i] -= lr * gi;
        }
    }

    /** One Adam (L2) or AdamW (decoupled) step at step t. */
    static void adam(double[] p, double[] g, double[] m, double[] v, double lr, double b1, double b2, double eps,
            double wd, boolean decoupled, long t) {
        for (int i = 0; i < p.length; i++) {
            double gi = g[i];
            if (decoupled) {
                p[i] -= lr * wd * p[i];
            } else {
                gi += wd * p[i];
            }
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            double mHat = m[i] / (1 - Math.pow(b1, t));
            double vHat = v[i] / (1 - Math.pow(b2, t));
            p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
        }
    }

    /** One RMSProp step. */
    static void rmsprop(double[] p, double[] g, double[] s, double lr, double alpha, double eps, double wd) {
        for (int i = 0; i < p.length; i++) {
            double gi = g[i] + wd * p[i];
            s[i] = alpha * s[i] + (1 - alpha) * gi * gi;
            p[i] -= lr * gi / (Math.sqrt(s[i]) + eps);
        }
    }

    /** One Adagrad step. */
    static void adagrad(double[] p, double[] g, double[] s, double lr, double eps, double wd) {
        for (int i = 0; i < p.length; i++) {
            double gi = g[i] + wd * p[i];
            s[i] += gi * gi;
            p[i] -= lr * gi / (Math.sqrt(s[i]) + eps);
        }
    }
}
