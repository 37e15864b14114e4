package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.L;

import jdk.incubator.vector.FloatVector;

/**
 * Layer normalization and its gradients on vectors: rows for the normalization and the input
 * gradient (the caller shares rows out over the threads), columns for gamma's and beta's gradients.
 *
 * <p>Each row's statistics take two passes, as the reference's do (the mean, then the squared
 * deviations from it, never {@code E[x^2] - E[x]^2}, which cancels for a row far from 0), each sum
 * in two vector accumulators whose lanes are added in {@link Simd}'s fixed tree, then the tail: a
 * different order from the reference's, hence the reduction tolerance. Gamma's and beta's gradients
 * sum each column in increasing row, as the reference does, vectorized across the columns.
 */
final class VectorNormalization {
    private VectorNormalization() {
    }

    /** {@code sum_j (x_j - mu)^2} over {@code x[off .. off + len)}; the tail lane by lane, not padded with zeros. */
    private static float squaredDeviations(float[] x, int off, int len, float mu) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        int i = 0;
        for (; i <= len - 2 * L; i += 2 * L) {
            FloatVector a = FloatVector.fromArray(F, x, off + i).sub(mu);
            FloatVector b = FloatVector.fromArray(F, x, off + i + L).sub(mu);
            s0 = s0.add(a.mul(a));
            s1 = s1.add(b.mul(b));
        }
        if (i <= len - L) {
            FloatVector a = FloatVector.fromArray(F, x, off + i).sub(mu);
            s0 = s0.add(a.mul(a));
            i += L;
        }
        float[] lanes = Simd.lanes();
        s0.add(s1).intoArray(lanes, 0);
        float sum = Simd.sumLanes(lanes);
        for (; i < len; i++) {
            float d = x[off + i] - mu;
            sum += d * d;
        }
        return sum;
    }

    /**
     * Rows [r0, r1): {@code out = (x - mean) * rstd * gamma + beta} with the row's two-pass statistics,
     * which are stored in mean and rstd. gamma and beta may be null. out may be x.
     */
    static void forward(int r0, int r1, int cols, float[] x, int xOff, float[] gamma, int gOff, float[] beta,
            int bOff, float eps, float[] out, int outOff, float[] mean, int meanOff, float[] rstd, int rstdOff) {
        int bound = F.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int xs = xOff + r * cols;
            int os = outOff + r * cols;
            float mu = VectorReductions.sum(x, xs, cols) / cols;
            float var = squaredDeviations(x, xs, cols, mu) / cols;
            float rs = (float) (1.0 / Math.sqrt(var + eps));
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector v = FloatVector.fromArray(F, x, xs + j).sub(mu).mul(rs);
                if (gamma != null) {
                    v = v.mul(FloatVector.fromArray(F, gamma, gOff + j));
                }
                if (beta != null) {
                    v = v.add(FloatVector.fromArray(F, beta, bOff + j));
                }
                v.intoArray(out, os + j);
            }
            for (; j < cols; j++) {
                float v = (x[xs + j] - mu) * rs;
                if (gamma != null) {
                    v *= gamma[gOff + j];
                }
                if (beta != null) {
                    v += beta[bOff + j];
                }
                out[os + j] = v;
            }
            mean[meanOff + r] = mu;
            rstd[rstdOff + r] = rs;
        }
    }

    /**
     * Rows [r0, r1) of the input gradient: with {@code xhat = (x - mean) * rstd} and {@code g = dy * gamma}
     * (dy without gamma), {@code dx = (g - mean_j g - xhat * mean_j(g xhat)) * rstd}.
     */
    static void inputGradient(int r0, int r1, int cols, float[] x, int xOff, float[] mean, int meanOff, float[] rstd,
            int rstdOff, float[] gamma, int gOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        if (cols < L) {
            inputGradientNarrowRows(r0, r1, cols, x, xOff, mean, meanOff, rstd, rstdOff, gamma, gOff, dy, dyOff, dx,
                    dxOff);
            return;
        }
        int bound = F.loopBound(cols);
        float[] lanes = Simd.lanes();
        for (int r = r0; r < r1; r++) {
            int xs = xOff + r * cols;
            int ds = dyOff + r * cols;
            int os = dxOff + r * cols;
            float mu = mean[meanOff + r];
            float rs = rstd[rstdOff + r];
            FloatVector sumG = FloatVector.zero(F);
            FloatVector sumGXhat = FloatVector.zero(F);
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector g = FloatVector.fromArray(F, dy, ds + j);
                if (gamma != null) {
                    g = g.mul(FloatVector.fromArray(F, gamma, gOff + j));
                }
                FloatVector xhat = FloatVector.fromArray(F, x, xs + j).sub(mu).mul(rs);
                sumG = sumG.add(g);
                sumGXhat = sumGXhat.add(g.mul(xhat));
            }
            sumG.intoArray(lanes, 0);
            float sg = Simd.sumLanes(lanes);
            sumGXhat.intoArray(lanes, 0);
            float sgx = Simd.sumLanes(lanes);
            for (; j < cols; j++) {
                float g = gamma == null ? dy[ds + j] : dy[ds + j] * gamma[gOff + j];
                sg += g;
                sgx += g * ((x[xs + j] - mu) * rs);
            }
            float meanG = sg / cols;
            float meanGXhat = sgx / cols;
            j = 0;
            for (; j < bound; j += L) {
                FloatVector g = FloatVector.fromArray(F, dy, ds + j);
                if (gamma != null) {
                    g = g.mul(FloatVector.fromArray(F, gamma, gOff + j));
                }
                FloatVector xhat = FloatVector.fromArray(F, x, xs + j).sub(mu).mul(rs);
                g.sub(meanG).sub(xhat.mul(meanGXhat)).mul(rs).intoArray(dx, os + j);
            }
            for (; j < cols; j++) {
                float g = gamma == null ? dy[ds + j] : dy[ds + j] * gamma[gOff + j];
                float xhat = (x[xs + j] - mu) * rs;
                dx[os + j] = (g - meanG - xhat * meanGXhat) * rs;
            }
        }
    }

    /**
     * {@link #inputGradient} of rows narrower than a vector, with no vector: the same operations in the
     * same order as its scalar tails (the lane sums they add to are +0), so the same bits. Kept apart so
     * that the vector loops are compiled only from calls that run them: C2 compiles a vector operation
     * that a method's profile has never seen run into a call on a boxed vector and keeps that form when
     * wider rows come (NarrowShapesFirstTest).
     */
    private static void inputGradientNarrowRows(int r0, int r1, int cols, float[] x, int xOff, float[] mean,
            int meanOff, float[] rstd, int rstdOff, float[] gamma, int gOff, float[] dy, int dyOff, float[] dx,
            int dxOff) {
        for (int r = r0; r < r1; r++) {
            int xs = xOff + r * cols;
            int ds = dyOff + r * cols;
            int os = dxOff + r * cols;
            float mu = mean[meanOff + r];
            float rs = rstd[rstdOff + r];
            float sg = 0f;
            float sgx = 0f;
            for (int j = 0; j < cols; j++) {
                float g = gamma == null ? dy[ds + j] : dy[ds + j] * gamma[gOff + j];
                sg += g;
                sgx += g * ((x[xs + j] - mu) * rs);
            }
            float meanG = sg / cols;
            float meanGXhat = sgx / cols;
            for (int j = 0; j < cols; j++) {
                float g = gamma == null ? dy[ds + j] : dy[ds + j] * gamma[gOff + j];
                float xhat = (x[xs + j] - mu) * rs;
                dx[os + j] = (g - meanG - xhat * meanGXhat) * rs;
            }
        }
    }

    /**
     * Columns [c0, c1) of {@code dgamma = sum_rows dy * xhat} and {@code dbeta = sum_rows dy} (either may
     * be null), each column summed over all rows in increasing row, vectorized across the columns.
     */
    static void parameterGradients(int c0, int c1, int rows, int cols, float[] x, int xOff, float[] mean, int meanOff,
            float[] rstd, int rstdOff, float[] dy, int dyOff, float[] dgamma, int dgOff, float[] dbeta, int dbOff) {
        int width = c1 - c0;
        if (width < L) {
            parameterGradientsNarrow(c0, c1, rows, cols, x, xOff, mean, meanOff, rstd, rstdOff, dy, dyOff, dgamma,
                    dgOff, dbeta, dbOff);
            return;
        }
        if (dgamma != null) {
            VectorElementwise.fill(width, dgamma, dgOff + c0, 0f);
        }
        if (dbeta != null) {
            VectorElementwise.fill(width, dbeta, dbOff + c0, 0f);
        }
        int bound = c0 + F.loopBound(width);
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            float mu = mean[meanOff + r];
            float rs = rstd[rstdOff + r];
            int j = c0;
            for (; j < bound; j += L) {
                FloatVector d = FloatVector.fromArray(F, dy, dyOff + row + j);
                if (dgamma != null) {
                    FloatVector xhat = FloatVector.fromArray(F, x, xOff + row + j).sub(mu).mul(rs);
                    FloatVector.fromArray(F, dgamma, dgOff + j).add(d.mul(xhat)).intoArray(dgamma, dgOff + j);
                }
                if (dbeta != null) {
                    FloatVector.fromArray(F, dbeta, dbOff + j).add(d).intoArray(dbeta, dbOff + j);
                }
            }
            for (; j < c1; j++) {
                float d = dy[dyOff + row + j];
                if (dgamma != null) {
                    dgamma[dgOff + j] += d * ((x[xOff + row + j] - mu) * rs);
                }
                if (dbeta != null) {
                    dbeta[dbOff + j] += d;
                }
            }
        }
    }

    /**
     * {@link #parameterGradients} of fewer columns than a vector, with no vector: its scalar tail on
     * every column (same bits), kept apart for the reason {@link #inputGradientNarrowRows} gives.
     */
    private static void parameterGradientsNarrow(int c0, int c1, int rows, int cols, float[] x, int xOff,
            float[] mean, int meanOff, float[] rstd, int rstdOff, float[] dy, int dyOff, float[] dgamma, int dgOff,
            float[] dbeta, int dbOff) {
        for (int j = c0; j < c1; j++) {
            if (dgamma != null) {
                dgamma[dgOff + j] = 0f;
            }
            if (dbeta != null) {
                dbeta[dbOff + j] = 0f;
            }
        }
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            float mu = mean[meanOff + r];
            float rs = rstd[rstdOff + r];
            for (int j = c0; j < c1; j++) {
                float d = dy[dyOff + row + j];
                if (dgamma != null) {
                    dgamma[dgOff + j] += d * ((x[xOff + row + j] - mu) * rs);
                }
                if (dbeta != null) {
                    dbeta[dbOff + j] += d;
                }
            }
        }
    }
}
