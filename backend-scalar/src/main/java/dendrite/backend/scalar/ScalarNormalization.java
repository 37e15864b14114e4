package dendrite.backend.scalar;

/**
 * Layer normalization and its gradients, row by row, as the textbook (and PyTorch) writes them.
 *
 * <p>Each row's statistics take two passes, in {@code float} like the other reductions, in
 * increasing index order: the mean first, then the mean of the squared deviations from it. The
 * one-pass {@code E[x^2] - E[x]^2} would cancel to nothing (or below zero) for a row far from 0
 * with a small spread, which is exactly what a transformer's residual stream looks like.
 */
final class ScalarNormalization {
    private ScalarNormalization() {
    }

    /**
     * {@code out = (x - mean) * rstd * gamma + beta} per row, with {@code mean = sum x / cols},
     * {@code var = sum (x - mean)^2 / cols}, {@code rstd = 1 / sqrt(var + eps)}; gamma and beta may be
     * null (1 and 0). out may be x: a row is read whole before it is written.
     */
    static void forward(int rows, int cols, float[] x, int xOff, float[] gamma, int gOff, float[] beta, int bOff,
            float eps, float[] out, int outOff, float[] mean, int meanOff, float[] rstd, int rstdOff) {
        for (int r = 0; r < rows; r++) {
            int xs = xOff + r * cols;
            int os = outOff + r * cols;
            float sum = 0f;
            for (int j = 0; j < cols; j++) {
                sum += x[xs + j];
            }
            float mu = sum / cols;
            float squares = 0f;
            for (int j = 0; j < cols; j++) {
                float d = x[xs + j] - mu;
                squares += d * d;
            }
            float var = squares / cols;
            float rs = (float) (1.0 / Math.sqrt(var + eps));
            for (int j = 0; j < cols; j++) {
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
     * Per row, with {@code xhat = (x - mean) * rstd} and {@code g = dy * gamma} (dy without gamma):
     * {@code dx = (g - sum g / cols - xhat * sum (g xhat) / cols) * rstd}. Then, unless null,
     * {@code dgamma = sum_rows dy * xhat} and {@code dbeta = sum_rows dy}, each column in increasing row.
     */
    static void backward(int rows, int cols, float[] x, int xOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
            float[] gamma, int gOff, float[] dy, int dyOff, float[] dx, int dxOff, float[] dgamma, int dgOff,
            float[] dbeta, int dbOff) {
        for (int r = 0; r < rows; r++) {
            int xs = xOff + r * cols;
            int ds = dyOff + r * cols;
            float mu = mean[meanOff + r];
            float rs = rstd[rstdOff + r];
            float sumG = 0f;
            float sumGXhat = 0f;
            for (int j = 0; j < cols; j++) {
                float g = gamma == null ? dy[ds + j] : dy[ds + j] * gamma[gOff + j];
                sumG += g;
                sumGXhat += g * ((x[xs + j] - mu) * rs);
            }
            float meanG = sumG / cols;
            float meanGXhat = sumGXhat / cols;
            for (int j = 0; j < cols; j++) {
                float g = gamma == null ? dy[ds + j] : dy[ds + j] * gamma[gOff + j];
                float xhat = (x[xs + j] - mu) * rs;
                dx[dxOff + r * cols + j] = (g - meanG - xhat * meanGXhat) * rs;
            }
        }
        if (dgamma != null) {
            for (int j = 0; j < cols; j++) {
                float s = 0f;
                for (int r = 0; r < rows; r++) {
                    int i = r * cols + j;
                    s += dy[dyOff + i] * ((x[xOff + i] - mean[meanOff + r]) * rstd[rstdOff + r]);
                }
                dgamma[dgOff + j] = s;
            }
        }
        if (dbeta != null) {
            for (int j = 0; j < cols; j++) {
                float s = 0f;
                for (int r = 0; r < rows; r++) {
                    s += dy[dyOff + r * cols + j];
                }
                dbeta[dbOff + j] = s;
            }
        }
    }
}
