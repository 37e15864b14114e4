package dendrite.backend.scalar;

/**
 * Optimizer updates, in place, one parameter at a time, with PyTorch's definitions
 * ({@code torch.optim.SGD}, {@code Adam}, {@code AdamW}, {@code RMSprop}, {@code Adagrad}).
 *
 * <p>All arrays are slices of n elements starting at their offsets; the parameter and its state
 * are updated, the gradient is only read.
 */
final class ScalarOptimizers {
    private ScalarOptimizers() {
    }

    /**
     * SGD: {@code g' = g + wd p}; with momentum {@code v = mu v + g'} and g' becomes v (Nesterov:
     * {@code g' + mu v}); then {@code p -= lr g'}. {@code v} may be null when momentum is 0.
     *
     * <p>PyTorch starts the velocity at the first gradient; starting it at zero gives the same
     * {@code v = 0 * mu + g'}.
     */
    static void sgd(int n, float[] p, int pOff, float[] g, int gOff, float[] v, int vOff,
            float lr, float momentum, float weightDecay, boolean nesterov) {
        for (int i = 0; i < n; i++) {
            float pi = p[pOff + i];
            float gi = g[gOff + i] + weightDecay * pi;
            if (momentum != 0f) {
                float vi = momentum * v[vOff + i] + gi;
                v[vOff + i] = vi;
                gi = nesterov ? gi + momentum * vi : vi;
            }
            p[pOff + i] = pi - lr * gi;
        }
    }

    /**
     * Adam at step t (counted from 1), or AdamW when {@code decoupled}:
     * <pre>
     *   AdamW: p -= lr wd p              Adam: g += wd p
     *   m = b1 m + (1 - b1) g
     *   v = b2 v + (1 - b2) g^2
     *   p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
     * </pre>
     * The bias corrections {@code 1 - b^t} come computed (once per step, in double, then rounded).
     */
    static void adam(int n, float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
            float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled, float correction1,
            float correction2) {
        for (int i = 0; i < n; i++) {
            float pi = p[pOff + i];
            float gi = g[gOff + i];
            if (decoupled) {
                pi -= lr * weightDecay * pi;
            } else {
                gi += weightDecay * pi;
            }
            float mi = beta1 * m[mOff + i] + (1f - beta1) * gi;
            float vi = beta2 * v[vOff + i] + (1f - beta2) * gi * gi;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            float mHat = mi / correction1;
            float vHat = vi / correction2;
            p[pOff + i] = pi - lr * mHat / ((float) Math.sqrt(vHat) + eps);
        }
    }

    /** RMSProp: {@code g' = g + wd p; s = a s + (1 - a) g'^2; p -= lr g' / (sqrt(s) + eps)}. */
    static void rmsprop(int n, float[] p, int pOff, float[] g, int gOff, float[] s, int sOff,
            float lr, float alpha, float eps, float weightDecay) {
        for (int i = 0; i < n; i++) {
            float pi = p[pOff + i];
            float gi = g[gOff + i] + weightDecay * pi;
            float si = alpha * s[sOff + i] + (1f - alpha) * gi * gi;
            s[sOff + i] = si;
            p[pOff + i] = pi - lr * gi / ((float) Math.sqrt(si) + eps);
        }
    }

    /** Adagrad: {@code g' = g + wd p; s += g'^2; p -= lr g' / (sqrt(s) + eps)}. */
    static void adagrad(int n, float[] p, int pOff, float[] g, int gOff, float[] s, int sOff,
            float lr, float eps, float weightDecay) {
        for (int i = 0; i < n; i++) {
            float pi = p[pOff + i];
            float gi = g[gOff + i] + weightDecay * pi;
            float si = s[sOff + i] + gi * gi;
            s[sOff + i] = si;
            p[pOff + i] = pi - lr * gi / ((float) Math.sqrt(si) + eps);
        }
    }
}
