package dendrite.tensor.conformance;

/**
 * Layer normalization as {@link dendrite.tensor.Backend#layerNorm}'s Javadoc defines it, in double
 * precision, and the magnitudes of the terms behind each result, which set the tolerances: a float
 * sum's error depends on its terms, not on its result, which cancellation can make arbitrarily small.
 * Its backward pass is not written here: the specification tests take it by finite differences of
 * {@link #forward}, so it is checked against the forward's definition alone.
 */
final class NormReference {
    private NormReference() {
    }

    /**
     * {@code {out, mean, rstd}} for rows of {@code cols} values: the two-pass mean and biased variance,
     * {@code rstd = 1 / sqrt(var + eps)}, {@code out = (x - mean) rstd gamma + beta} (gamma, beta may be null).
     */
    static double[][] forward(int rows, int cols, float[] x, float[] gamma, float[] beta, double eps) {
        return forward(rows, cols, Expect.toDouble(x), gamma == null ? null : Expect.toDouble(gamma),
                beta == null ? null : Expect.toDouble(beta), eps);
    }

    /** {@link #forward(int, int, float[], float[], float[], double)} on double inputs, for finite differences. */
    static double[][] forward(int rows, int cols, double[] x, double[] gamma, double[] beta, double eps) {
        double[] out = new double[rows * cols];
        double[] mean = new double[rows];
        double[] rstd = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += x[r * cols + j];
            }
            double mu = s / cols;
            double q = 0;
            for (int j = 0; j < cols; j++) {
                double d = x[r * cols + j] - mu;
                q += d * d;
            }
            double rs = 1 / Math.sqrt(q / cols + eps);
            for (int j = 0; j < cols; j++) {
                double v = (x[r * cols + j] - mu) * rs;
                out[r * cols + j] = v * (gamma == null ? 1 : gamma[j]) + (beta == null ? 0 : beta[j]);
            }
            mean[r] = mu;
            rstd[r] = rs;
        }
        return new double[][] {out, mean, rstd};
    }

    /** Each row's mean of |x|: the scale of the mean's rounding error. */
    static double[] meanAbs(int rows, int cols, float[] x) {
        double[] m = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                m[r] += Math.abs(x[r * cols + j]) / cols;
            }
        }
        return m;
    }

    /**
     * Per output: {@code |gamma| (rstd * mean|x| + |xhat|) + |beta|}. The mean's error, a sum's, is
     * relative to mean|x| and moves xhat by rstd times as much; the variance's is relative to itself (its
     * terms are squares) and moves xhat in proportion.
     */
    static double[] forwardScale(int rows, int cols, float[] x, float[] gamma, float[] beta, double[] mean,
            double[] rstd) {
        double[] meanAbs = meanAbs(rows, cols, x);
        double[] scale = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                double g = gamma == null ? 1 : Math.abs(gamma[j]);
                double xhat = (x[i] - mean[r]) * rstd[r];
                scale[i] = g * (rstd[r] * meanAbs[r] + Math.abs(xhat)) + (beta == null ? 0 : Math.abs(beta[j]));
            }
        }
        return scale;
    }

    /** xhat as the backward kernels recompute it, {@code (x - mean) * rstd}, in double, and its magnitude. */
    static double[] xhatMagnitude(int rows, int cols, float[] x, float[] mean, float[] rstd) {
        double[] m = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                m[r * cols + j] = (Math.abs(x[r * cols + j]) + Math.abs(mean[r])) * rstd[r];
            }
        }
        return m;
    }

    /**
     * {@code {dx, dgamma, dbeta}} term scales: per input {@code rstd (|g| + mean|g| + |xhat| mean|g xhat|)},
     * per column {@code sum_rows |dy xhat|} and {@code sum_rows |dy|}, with xhat's magnitude from
     * {@link #xhatMagnitude} (its subtraction's rounding is relative to |x| + |mean|).
     */
    static double[][] backwardScale(int rows, int cols, float[] x, float[] mean, float[] rstd, float[] gamma,
            float[] dy) {
        double[] xhat = xhatMagnitude(rows, cols, x, mean, rstd);
        double[] dx = new double[rows * cols];
        double[] dgamma = new double[cols];
        double[] dbeta = new double[cols];
        for (int r = 0; r < rows; r++) {
            double mg = 0;
            double mgx = 0;
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                double g = Math.abs(dy[i]) * (gamma == null ? 1 : Math.abs(gamma[j]));
                mg += g / cols;
                mgx += g * xhat[i] / cols;
                dgamma[j] += Math.abs(dy[i]) * xhat[i];
                dbeta[j] += Math.abs(dy[i]);
            }
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                double g = Math.abs(dy[i]) * (gamma == null ? 1 : Math.abs(gamma[j]));
                dx[i] = rstd[r] * (g + mg + xhat[i] * mgx);
            }
        }
        return new double[][] {dx, dgamma, dbeta};
    }
}
