package dendrite.backend.scalar;

/**
 * The error function and its complement in {@code double}, for the exact GELU: Java has no
 * {@code Math.erf}. erf is good to a few units in the last place of a double; erfc, which below
 * {@link #SWITCH} is {@code 1 - erf}, loses a few decimal digits of that as it falls towards the
 * switch, still far below the float rounding of the results that use it.
 *
 * <p>Two methods, each where it converges fast and without cancellation:
 * <ul>
 *   <li>|z| below {@value #SWITCH}: the series {@code erf z = 2/sqrt(pi) e^(-z^2) sum 2^n z^(2n+1) / (1 3 5 ... (2n+1))}
 *       (Abramowitz and Stegun 7.1.6), whose terms are all positive, unlike those of the plain
 *       Taylor series of erf, which cancel to lose digits as z grows;</li>
 *   <li>beyond it: Laplace's continued fraction {@code erfc z = e^(-z^2) / sqrt(pi) / (z + 1/2 / (z + 1 / (z + 3/2 / (z + ...))))}
 *       (A and S 7.1.14), evaluated from a fixed depth backwards, which gives erfc's tiny values with
 *       their full relative precision (erfc 10 is 2e-45), where {@code 1 - erf} would give 0.</li>
 * </ul>
 */
final class Erf {
    /** Where the series hands over to the continued fraction. */
    static final double SWITCH = 2.5;
    /**
     * Depth of the continued fraction: it converges to double precision by about 35 terms at
     * {@link #SWITCH} and faster beyond; the margin costs a few divisions.
     */
    private static final int DEPTH = 50;
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    private static final double SQRT_PI = Math.sqrt(Math.PI);

    private Erf() {
    }

    /** erf z; odd, NaN for NaN, +-1 at +-infinity. */
    static double erf(double z) {
        double a = Math.abs(z);
        if (!(a < SWITCH)) {                 // also NaN, which the continued fraction keeps NaN
            return Math.copySign(1.0 - tail(a), z);
        }
        return series(z);
    }

    /** erfc z = 1 - erf z, with full relative precision where it is tiny (large positive z). */
    static double erfc(double z) {
        if (Math.abs(z) < SWITCH) {
            return 1.0 - series(z);
        }
        if (z > 0 || Double.isNaN(z)) {
            return tail(z);
        }
        return 2.0 - tail(-z);
    }

    /** The positive-term series for erf, for |z| < {@link #SWITCH}. */
    private static double series(double z) {
        double q = 2.0 * z * z;
        double term = z;
        double sum = z;
        for (int n = 1; Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
            term *= q / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-z * z) * sum;
    }

    /** erfc a for a >= {@link #SWITCH} by the continued fraction; 0 at infinity, NaN for NaN. */
    private static double tail(double a) {
        if (a == Double.POSITIVE_INFINITY) {
            return 0.0;
        }
        double f = a;
        for (int k = DEPTH; k >= 1; k--) {
            f = a + 0.5 * k / f;
        }
        return Math.exp(-a * a) / (SQRT_PI * f);
    }
}
