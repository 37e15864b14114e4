package dendrite.backend.scalar;

import dendrite.tensor.op.Activation;

/**
 * Activation functions and their derivatives, one element at a time.
 *
 * <p>The backward pass never recomputes the forward one: it reads the forward output y where
 * the derivative is a function of y (ReLU, sigmoid, tanh, softplus) and the input x only where it
 * must (leaky ReLU, both GELUs, SiLU, ELU, SELU, Mish, hard swish). Transcendentals run in
 * {@code double} and are rounded once.
 *
 * <p>The exact GELU needs the normal distribution function Phi(x) = erfc(-x / sqrt 2) / 2, from
 * {@link Erf}. Phi is taken from the smaller tail, {@code erfc(|x| / sqrt 2) / 2} for x below 0 and
 * one less it above: {@code 0.5 (1 + erf(x / sqrt 2))} cancels for very negative x, where Phi is
 * tiny but y and its derivative still have full relative precision to keep.
 */
final class ScalarActivations {
    /** sqrt(2 / pi), GELU's tanh-approximation constant. */
    static final double GELU_C = Math.sqrt(2.0 / Math.PI);
    /** The cubic coefficient of GELU's tanh approximation. */
    static final double GELU_A = 0.044715;
    private static final double SQRT1_2 = Math.sqrt(0.5);
    /** 1 / sqrt(2 pi), the standard normal density at 0. */
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    private static final double SELU_ALPHA = Activation.SELU_ALPHA;
    private static final double SELU_SCALE = Activation.SELU_SCALE;

    private ScalarActivations() {
    }

    /** {@code out[i] = act(x[i])} for n elements; out may be x. */
    static void forward(Activation act, float param, int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = apply(act, param, x[xOff + i]);
        }
    }

    /** The activation of one value. */
    static float apply(Activation act, float param, float x) {
        return switch (act) {
            // y = x
            case IDENTITY -> x;
            // y = max(0, x); Math.max keeps a NaN input NaN
            case RELU -> Math.max(x, 0f);
            // y = x if x > 0 else param * x
            case LEAKY_RELU -> x > 0f ? x : param * x;
            // y = 1 / (1 + e^-x): e^-x overflows to infinity for x < -88 and y becomes 0, as it should
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
            // y = tanh x
            case TANH -> (float) Math.tanh(x);
            // y = x Phi(x)
            case GELU -> (float) (x * normalCdf(x));
            // y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
            case GELU_TANH -> {
                double u = GELU_C * (x + GELU_A * x * x * x);
                yield (float) (0.5 * x * (1.0 + Math.tanh(u)));
            }
            // y = ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|): e^-|x| <= 1 never overflows, and
            // log1p keeps the precision of the small term for large |x|
            case SOFTPLUS -> (float) softplus(x);
            // y = x / (1 + e^-x), PyTorch's form (NaN at -inf, where it is -inf / inf)
            case SILU -> (float) (x / (1.0 + Math.exp(-x)));
            // y = x if x > 0 else param (e^x - 1), e^x - 1 by expm1, exact near 0 where a subtraction cancels
            case ELU -> x > 0f ? x : (float) (param * Math.expm1(x));
            // y = scale (x if x > 0 else alpha (e^x - 1)), PyTorch's constants
            case SELU -> (float) (SELU_SCALE * (x > 0f ? x : SELU_ALPHA * Math.expm1(x)));
            // y = x tanh(softplus(x)): NaN at -inf (-inf * 0), as PyTorch's
            case MISH -> (float) (x * Math.tanh(softplus(x)));
            // y = x min(max(x + 3, 0), 6) / 6: NaN at -inf (-inf * 0), as PyTorch's
            case HARDSWISH -> (float) (x * Math.min(Math.max(x + 3.0, 0.0), 6.0) / 6.0);
        };
    }

    /**
     * {@code dx[i] = dy[i] * act'(x[i])} for n elements. {@code x} is read only when
     * {@link Activation#backwardReadsInput} says so, {@code y} (the forward output) otherwise; the unused
     * one may be null. dx may be dy.
     */
    static void backward(Activation act, float param, int n, float[] x, int xOff, float[] y, int yOff,
            float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            float g = dy[dyOff + i];
            float xi = x == null ? 0f : x[xOff + i];
            float yi = y == null ? 0f : y[yOff + i];
            dx[dxOff + i] = g * derivative(act, param, xi, yi);
        }
    }

    /** act'(x), computed from y = act(x) or from x as the activation needs. */
    static float derivative(Activation act, float param, float x, float y) {
        return switch (act) {
            // dy/dx = 1
            case IDENTITY -> 1f;
            // dy/dx = [y > 0]  (0 at x = 0, as PyTorch)
            case RELU -> y > 0f ? 1f : 0f;
            // dy/dx = 1 if x > 0 else param
            case LEAKY_RELU -> x > 0f ? 1f : param;
            // dy/dx = y (1 - y)
            case SIGMOID -> y * (1f - y);
            // dy/dx = 1 - y^2
            case TANH -> 1f - y * y;
            // dy/dx = sigmoid(x) = 1 - e^-y, written -expm1(-y) so it stays accurate when y is tiny
            case SOFTPLUS -> (float) -Math.expm1(-(double) y);
            // dy/dx = Phi(x) + x phi(x), phi(x) = e^(-x^2/2) / sqrt(2 pi)
            case GELU -> (float) (normalCdf(x) + x * Math.exp(-0.5 * x * x) * INV_SQRT_2PI);
            // with u = c (x + a x^3), t = tanh u:
            // dy/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3 a x^2)
            case GELU_TANH -> {
                double t = Math.tanh(GELU_C * (x + GELU_A * x * x * x));
                yield (float) (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * GELU_C * (1.0 + 3.0 * GELU_A * x * x));
            }
            // dy/dx = s (1 + x (1 - s)), s = sigmoid(x): PyTorch's form, NaN at the infinities (inf * 0)
            case SILU -> {
                double s = 1.0 / (1.0 + Math.exp(-x));
                yield (float) (s * (1.0 + x * (1.0 - s)));
            }
            // dy/dx = 1 if x > 0 else param e^x: param at 0, as PyTorch's; NaN at NaN
            case ELU -> x > 0f ? 1f : (float) (param * Math.exp(x));
            // dy/dx = scale if x > 0 else scale alpha e^x: scale alpha at 0, as PyTorch's
            case SELU -> (float) (x > 0f ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(x));
            // dy/dx = t + x sigmoid(x) (1 - t^2), t = tanh(softplus(x)): PyTorch's form, NaN at the infinities
            case MISH -> {
                double t = Math.tanh(softplus(x));
                yield (float) (t + x * (1.0 / (1.0 + Math.exp(-x))) * (1.0 - t * t));
            }
            // dy/dx = 0 below -3, x / 3 + 1/2 up to 3, 1 above: PyTorch's -1/2 and 3/2 at the kinks; NaN at NaN
            case HARDSWISH -> x > 3f ? 1f : x < -3f ? 0f : (float) (x / 3.0 + 0.5);
        };
    }

    /** ln(1 + e^x) as max(x, 0) + ln(1 + e^-|x|), which neither overflows nor loses the small term. */
    private static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /**
     * The standard normal distribution function Phi(x), from the smaller tail so that it keeps its
     * relative precision for very negative x; NaN for NaN.
     */
    static double normalCdf(double x) {
        return x < 0 ? 0.5 * Erf.erfc(-x * SQRT1_2) : 1.0 - 0.5 * Erf.erfc(x * SQRT1_2);
    }
}
