package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.L;

import jdk.incubator.vector.FloatVector;

/**
 * Optimizer updates over ranges, in place, a vector at a time: the scalar backend's formulas
 * (PyTorch's definitions) with each operation done lanewise in the same order, so results match
 * the reference to the last bit or two. Tails run the same formula on single values.
 */
final class VectorOptimizers {
    private VectorOptimizers() {
    }

    /** SGD over [from, to): {@code g' = g + wd p}; momentum {@code v = mu v + g'} (Nesterov {@code g' + mu v}); {@code p -= lr g'}. */
    static void sgd(int from, int to, float[] p, int pOff, float[] g, int gOff, float[] v, int vOff,
            float lr, float mu, float wd, boolean nesterov) {
        int i = from;
        int bound = from + F.loopBound(to - from);
        for (; i < bound; i += L) {
            FloatVector pi = FloatVector.fromArray(F, p, pOff + i);
            FloatVector gi = FloatVector.fromArray(F, g, gOff + i).add(pi.mul(wd));
            if (mu != 0f) {
                FloatVector vi = FloatVector.fromArray(F, v, vOff + i).mul(mu).add(gi);
                vi.intoArray(v, vOff + i);
                gi = nesterov ? gi.add(vi.mul(mu)) : vi;
            }
            pi.sub(gi.mul(lr)).intoArray(p, pOff + i);
        }
        for (; i < to; i++) {
            float pi = p[pOff + i];
            float gi = g[gOff + i] + wd * pi;
            if (mu != 0f) {
                float vi = mu * v[vOff + i] + gi;
                v[vOff + i] = vi;
                gi = nesterov ? gi + mu * vi : vi;
            }
            p[pOff + i] = pi - lr * gi;
        }
    }

    /**
     * Adam (or AdamW when {@code decoupled}) over [from, to), with the bias corrections
     * {@code c1 = 1 - b1^t} and {@code c2 = 1 - b2^t} computed by the caller.
     */
    static void adam(int from, int to, float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v,
            int vOff, float lr, float b1, float b2, float eps, float wd, boolean decoupled, float c1, float c2) {
        int i = from;
        int bound = from + F.loopBound(to - from);
        float lrWd = lr * wd;
        for (; i < bound; i += L) {
            FloatVector pi = FloatVector.fromArray(F, p, pOff + i);
            FloatVector gi = FloatVector.fromArray(F, g, gOff + i);
            if (decoupled) {
                pi = pi.sub(pi.mul(lrWd));
            } else {
                gi = gi.add(pi.mul(wd));
            }
            FloatVector mi = FloatVector.fromArray(F, m, mOff + i).mul(b1).add(gi.mul(1f - b1));
            FloatVector vi = FloatVector.fromArray(F, v, vOff + i).mul(b2).add(gi.mul(1f - b2).mul(gi));
            mi.intoArray(m, mOff + i);
            vi.intoArray(v, vOff + i);
            FloatVector mHat = mi.div(c1);
            FloatVector vHat = vi.div(c2);
            pi.sub(mHat.mul(lr).div(vHat.sqrt().add(eps))).intoArray(p, pOff + i);
        }
        for (; i < to; i++) {
            float pi = p[pOff + i];
            float gi = g[gOff + i];
            if (decoupled) {
                pi -= lrWd * pi;
            } else {
                gi += wd * pi;
            }
            float mi = b1 * m[mOff + i] + (1f - b1) * gi;
            float vi = b2 * v[vOff + i] + (1f - b2) * gi * gi;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            p[pOff + i] = pi - lr * (mi / c1) / ((float) Math.sqrt(vi / c2) + eps);
        }
    }

    /** RMSProp over [from, to): {@code g' = g + wd p; s = a s + (1 - a) g'^2; p -= lr g' / (sqrt(s) + eps)}. */
    static void rmsprop(int from, int to, float[] p, int pOff, float[] g, int gOff, float[] s, int sOff,
            float lr, float alpha, float eps, float wd) {
        int i = from;
        int bound = from + F.loopBound(to - from);
        for (; i < bound; i += L) {
            FloatVector pi = FloatVector.fromArray(F, p, pOff + i);
            FloatVector gi = FloatVector.fromArray(F, g, gOff + i).add(pi.mul(wd));
            FloatVector si = FloatVector.fromArray(F, s, sOff + i).mul(alpha).add(gi.mul(1f - alpha).mul(gi));
            si.intoArray(s, sOff + i);
            pi.sub(gi.mul(lr).div(si.sqrt().add(eps))).intoArray(p, pOff + i);
        }
        for (; i < to; i++) {
            float pi = p[pOff + i];
            float gi = g[gOff + i] + wd * pi;
            float si = alpha * s[sOff + i] + (1f - alpha) * gi * gi;
            s[sOff + i] = si;
            p[pOff + i] = pi - lr * gi / ((float) Math.sqrt(si) + eps);
        }
    }

    /** Adagrad over [from, to): {@code g' = g + wd p; s += g'^2; p -= lr g' / (sqrt(s) + eps)}. */
    static void adagrad(int from, int to, float[] p, int pOff, float[] g, int gOff, float[] s, int sOff,
            float lr, float eps, float wd) {
        int i = from;
        int bound = from + F.loopBound(to - from);
        for (; i < bound; i += L) {
            FloatVector pi = FloatVector.fromArray(F, p, pOff + i);
            FloatVector gi = FloatVector.fromArray(F, g, gOff + i).add(pi.mul(wd));
            FloatVector si = FloatVector.fromArray(F, s, sOff + i).add(gi.mul(gi));
            si.intoArray(s, sOff + i);
            pi.sub(gi.mul(lr).div(si.sqrt().add(eps))).intoArray(p, pOff + i);
        }
        for (; i < to; i++) {
            float pi = p[pOff + i];
            float gi = g[gOff + i] + wd * pi;
            float si = s[sOff + i] + gi * gi;
            s[sOff + i] = si;
            p[pOff + i] = pi - lr * gi / ((float) Math.sqrt(si) + eps);
        }
    }
}
