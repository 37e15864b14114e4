package dendrite.nn.data;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Small generated datasets for learning and testing: each is a pure function of its arguments
 * and seed, so a run is reproducible and a test can state exact expectations.
 *
 * <p>The 2-D classification sets follow scikit-learn's {@code make_moons} and {@code make_circles}
 * and the CS231n spiral; noise is Gaussian with the given standard deviation. Samples are
 * shuffled (with the same seed) so that a plain split of the first and last samples is not
 * all one class.
 *
 * <pre>{@code
 * Dataset moons = Synthetic.twoMoons(1000, 0.1, 42);   // 1000 x [2], 2 classes
 * Dataset sine  = Synthetic.regressionCurve(200, 0.1, 42);
 * }</pre>
 */
public final class Synthetic {
    /** The names {@link #byName} accepts. */
    public static final List<String> NAMES = List.of("xor", "moons", "circles", "spirals", "sine", "server-load");
    /** The columns of {@link #serverLoad}: four features, then the target. */
    public static final List<String> SERVER_LOAD_COLUMNS =
            List.of("cpu_percent", "memory_percent", "network_mbps", "connections", "load");

    private Synthetic() {
    }

    /**
     * The four corners of the unit square with their XOR as the class: the classic first network.
     *
     * @return a new dataset named {@code xor}: 4 samples of shape {@code [2]} in the order (0,0), (0,1), (1,0),
     *         (1,1), 2 classes named {@code 0} and {@code 1}
     */
    public static Dataset xor() {
        float[] x = {0, 0, 0, 1, 1, 0, 1, 1};
        int[] y = {0, 1, 1, 0};
        return Dataset.classification("xor", x, new int[] {2}, y, 2, List.of("0", "1"));
    }

    /**
     * XOR as a sampled task: points uniform in [-1, 1]², class 1 where exactly one coordinate is
     * positive, then Gaussian noise of standard deviation {@code noise} added to the coordinates.
     *
     * @param n the number of samples, at least 1
     * @param noise the standard deviation of the Gaussian noise added to each coordinate, {@code >= 0} (0 for none)
     * @param seed the random seed; the same arguments and seed give the same dataset
     * @return a new dataset named {@code xor}: {@code n} samples of shape {@code [2]}, 2 classes
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public static Dataset xor(int n, double noise, long seed) {
        checkSize(n, "xor");
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double a = rnd.nextDouble(-1, 1);
            double b = rnd.nextDouble(-1, 1);
            y[i] = (a > 0) != (b > 0) ? 1 : 0;
            x[2 * i] = (float) (a + noise * rnd.nextGaussian());
            x[2 * i + 1] = (float) (b + noise * rnd.nextGaussian());
        }
        return Dataset.classification("xor", x, new int[] {2}, y, 2, List.of("0", "1"));
    }

    /**
     * Two interleaving half circles (scikit-learn's {@code make_moons}): class 0 is the upper arc
     * (cos t, sin t), class 1 the lower arc (1 - cos t, 0.5 - sin t), t evenly spaced in [0, π];
     * {@code n / 2} samples in class 0, the rest in class 1.
     *
     * @param n the number of samples, at least 1
     * @param noise the standard deviation of the Gaussian noise added to each coordinate, {@code >= 0} (0 for none;
     *        scikit-learn's examples use about 0.1)
     * @param seed the random seed; the same arguments and seed give the same dataset
     * @return a new dataset named {@code moons}: {@code n} shuffled samples of shape {@code [2]}, 2 classes named
     *         {@code upper} and {@code lower}
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public static Dataset twoMoons(int n, double noise, long seed) {
        checkSize(n, "two moons");
        SplittableRandom rnd = new SplittableRandom(seed);
        int outer = n / 2;
        int inner = n - outer;
        float[] x = new float[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            boolean isOuter = i < outer;
            int k = isOuter ? i : i - outer;
            double t = Math.PI * k / Math.max(1, (isOuter ? outer : inner) - 1);
            double a = isOuter ? Math.cos(t) : 1 - Math.cos(t);
            double b = isOuter ? Math.sin(t) : 0.5 - Math.sin(t);
            x[2 * i] = (float) (a + noise * rnd.nextGaussian());
            x[2 * i + 1] = (float) (b + noise * rnd.nextGaussian());
            y[i] = isOuter ? 0 : 1;
        }
        return shuffled(Dataset.classification("moons", x, new int[] {2}, y, 2, List.of("upper", "lower")), rnd);
    }

    /**
     * Two concentric circles (scikit-learn's {@code make_circles}): class 0 on the unit circle,
     * class 1 on a circle of radius {@code factor} (in (0, 1)); {@code n / 2} samples outside.
     *
     * @param n the number of samples, at least 1
     * @param noise the standard deviation of the Gaussian noise added to each coordinate, {@code >= 0} (0 for none)
     * @param factor the inner circle's radius relative to the outer one, in (0, 1)
     * @param seed the random seed; the same arguments and seed give the same dataset
     * @return a new dataset named {@code circles}: {@code n} shuffled samples of shape {@code [2]}, 2 classes
     *         named {@code outer} and {@code inner}
     * @throws IllegalArgumentException if {@code n} is below 1 or {@code factor} is not in (0, 1)
     */
    public static Dataset circles(int n, double noise, double factor, long seed) {
        checkSize(n, "circles");
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("circles: factor " + factor + " must be in (0, 1)");
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int outer = n / 2;
        int inner = n - outer;
        float[] x = new float[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            boolean isOuter = i < outer;
            int k = isOuter ? i : i - outer;
            double t = 2 * Math.PI * k / (isOuter ? outer : inner);
            double r = isOuter ? 1 : factor;
            x[2 * i] = (float) (r * Math.cos(t) + noise * rnd.nextGaussian());
            x[2 * i + 1] = (float) (r * Math.sin(t) + noise * rnd.nextGaussian());
            y[i] = isOuter ? 0 : 1;
        }
        return shuffled(Dataset.classification("circles", x, new int[] {2}, y, 2, List.of("outer", "inner")), rnd);
    }

    /**
     * {@code classes} interleaved spiral arms (the CS231n spiral): arm j has radius r evenly spaced
     * in [0, 1] and angle 4j + 4r + noise·N(0, 1), at (r sin θ, r cos θ). Noise is on the angle,
     * so 0.2 gives arms that a small network can still separate completely.
     *
     * @param samplesPerClass the number of samples on each arm, at least 1
     * @param classes the number of arms (classes), at least 2
     * @param noise the standard deviation of the Gaussian noise on each angle, in radians, {@code >= 0}
     * @param seed the random seed; the same arguments and seed give the same dataset
     * @return a new dataset named {@code spirals}: {@code samplesPerClass * classes} shuffled samples of shape
     *         {@code [2]}, classes named {@code arm 0}, {@code arm 1}, ...
     * @throws IllegalArgumentException if {@code samplesPerClass} is below 1 or {@code classes} below 2
     * @throws ArithmeticException if the total number of samples overflows an {@code int}
     */
    public static Dataset spirals(int samplesPerClass, int classes, double noise, long seed) {
        checkSize(samplesPerClass, "spirals");
        if (classes < 2) {
            throw new IllegalArgumentException("spirals: need at least 2 classes, got " + classes);
        }
        int n = Math.multiplyExact(samplesPerClass, classes);
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[2 * n];
        int[] y = new int[n];
        for (int j = 0; j < classes; j++) {
            for (int k = 0; k < samplesPerClass; k++) {
                int i = j * samplesPerClass + k;
                double r = samplesPerClass == 1 ? 0 : (double) k / (samplesPerClass - 1);
                double theta = 4 * j + 4 * r + noise * rnd.nextGaussian();
                x[2 * i] = (float) (r * Math.sin(theta));
                x[2 * i + 1] = (float) (r * Math.cos(theta));
                y[i] = j;
            }
        }
        List<String> names = new java.util.ArrayList<>();
        for (int j = 0; j < classes; j++) {
            names.add("arm " + j);
        }
        return shuffled(Dataset.classification("spirals", x, new int[] {2}, y, classes, names), rnd);
    }

    /**
     * A noisy 1-D regression curve: x uniform in [-π, π], y = sin(x) + noise·N(0, 1).
     *
     * @param n the number of samples, at least 1
     * @param noise the standard deviation of the Gaussian noise added to each target, {@code >= 0} (0 for none)
     * @param seed the random seed; the same arguments and seed give the same dataset
     * @return a new regression dataset named {@code sine}: {@code n} samples of shape {@code [1]}, one target each
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public static Dataset regressionCurve(int n, double noise, long seed) {
        checkSize(n, "regression curve");
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double v = rnd.nextDouble(-Math.PI, Math.PI);
            x[i] = (float) v;
            y[i] = (float) (Math.sin(v) + noise * rnd.nextGaussian());
        }
        return Dataset.regression("sine", x, new int[] {1}, y, 1);
    }

    /**
     * The tutorials' server-load regression: a server's load (percent of its capacity) from four
     * metrics drawn uniformly, CPU use 5–100 %, memory use 10–95 %, network traffic 10–1000 Mbit/s
     * and 1–499 open connections ({@link #SERVER_LOAD_COLUMNS}). The load grows linearly with each,
     * plus two knees a straight line cannot follow: above 70 % CPU the run queue builds up
     * (quadratically), and above 85 % memory the server swaps (steeply). Gaussian noise of standard
     * deviation {@code noise} (percentage points) is added; with 2.5 the best possible R² is about
     * 0.98 and a linear model's about 0.92.
     *
     * @param n the number of samples, at least 1
     * @param noise the standard deviation of the Gaussian noise added to each load, in percentage points,
     *        {@code >= 0} (0 for none)
     * @param seed the random seed; the same arguments and seed give the same dataset
     * @return a new regression dataset named {@code server-load}: {@code n} samples of shape {@code [4]} (the
     *         first four {@link #SERVER_LOAD_COLUMNS}), the load as the one target
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public static Dataset serverLoad(int n, double noise, long seed) {
        checkSize(n, "server load");
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[4 * n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            // Rounded as a monitoring tool logs them, so the set reads back the same from a CSV.
            float cpu = round1(rnd.nextDouble(5, 100));
            float memory = round1(rnd.nextDouble(10, 95));
            float network = round1(rnd.nextDouble(10, 1000));
            int connections = rnd.nextInt(1, 500);
            x[4 * i] = cpu;
            x[4 * i + 1] = memory;
            x[4 * i + 2] = network;
            x[4 * i + 3] = connections;
            double load = serverLoad(cpu, memory, network, connections) + noise * rnd.nextGaussian();
            y[i] = (float) (Math.round(load * 100) / 100.0);
        }
        return Dataset.regression("server-load", x, new int[] {4}, y, 1);
    }

    /**
     * The server-load example as a time series, one row per hour ({@link #SERVER_LOAD_COLUMNS}), for
     * forecasting. Traffic follows a daily cycle (quiet at night, busiest in the afternoon) and a
     * weekly one (weekends at 60 %), with slowly wandering noise; connections and network traffic
     * follow it; CPU follows it plus incidents (about one every ten days, 2 to 6 hours of an extra 20
     * to 40 points); memory leaks upward until a restart every five days; the load is
     * {@link #serverLoad(double, double, double, double)} of the hour's metrics plus noise. Hour 0 is
     * a Monday midnight.
     *
     * @param hours the number of hourly rows, at least 1
     * @param seed the random seed; the same arguments and seed give the same dataset
     * @return a new series named {@code server-load-series} of {@code hours} rows and the five
     *         {@link #SERVER_LOAD_COLUMNS}, the load last
     * @throws IllegalArgumentException if {@code hours} is below 1
     */
    public static TimeSeries serverLoadSeries(int hours, long seed) {
        checkSize(hours, "server load series");
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[hours * 5];
        double wander = 0;
        int incidentLeft = 0;
        double incidentCpu = 0;
        for (int h = 0; h < hours; h++) {
            int hourOfDay = h % 24;
            boolean weekend = (h / 24) % 7 >= 5;
            double daily = 0.55 + 0.45 * Math.sin(2 * Math.PI * (hourOfDay - 8) / 24);
            wander = 0.9 * wander + 0.04 * rnd.nextGaussian();
            double traffic = 450 * daily * (weekend ? 0.6 : 1) * (1 + wander);
            if (incidentLeft == 0 && rnd.nextDouble() < 1.0 / 240) {
                incidentLeft = rnd.nextInt(2, 7);
                incidentCpu = rnd.nextDouble(20, 40);
            }
            double incident = incidentLeft > 0 ? incidentCpu : 0;
            incidentLeft = Math.max(0, incidentLeft - 1);
            double leak = 0.2 * (h % 120);
            float cpu = round1(clamp(8 + 0.14 * traffic + incident + 1.5 * rnd.nextGaussian(), 1, 100));
            float memory = round1(clamp(30 + leak + 0.02 * traffic + rnd.nextGaussian(), 5, 99));
            float network = round1(Math.max(1, 1.8 * traffic + 15 * rnd.nextGaussian()));
            int connections = (int) Math.max(1, Math.round(traffic * (incident > 0 ? 1.3 : 1) + 10 * rnd.nextGaussian()));
            double load = serverLoad(cpu, memory, network, connections) + 1.5 * rnd.nextGaussian();
            v[5 * h] = cpu;
            v[5 * h + 1] = memory;
            v[5 * h + 2] = network;
            v[5 * h + 3] = connections;
            v[5 * h + 4] = (float) (Math.round(load * 100) / 100.0);
        }
        return TimeSeries.of("server-load-series", SERVER_LOAD_COLUMNS, v);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /**
     * The noiseless load of {@link #serverLoad} for one server's metrics.
     *
     * @param cpu the CPU use, in percent
     * @param memory the memory use, in percent
     * @param network the network traffic, in Mbit/s
     * @param connections the number of open connections
     * @return the load, in percent of the server's capacity (may exceed 100 for extreme metrics)
     */
    public static double serverLoad(double cpu, double memory, double network, double connections) {
        double queue = Math.max(0, cpu - 70);
        double swap = Math.max(0, memory - 85);
        return 0.5 * cpu + 0.2 * memory + 0.015 * network + 0.04 * connections + 0.02 * queue * queue + 0.3 * swap * swap;
    }

    private static float round1(double v) {
        return (float) (Math.round(v * 10) / 10.0);
    }

    /**
     * A synthetic set by name with settings good for a demo: {@code xor} (1000 samples, noise 0.1),
     * {@code moons} (1000, noise 0.1), {@code circles} (1000, noise 0.05, factor 0.5),
     * {@code spirals} or {@code spirals:K} (K arms, default 3, 300 samples each, noise 0.2),
     * {@code sine} (1000, noise 0.1) and {@code server-load} (2000, noise 2.5).
     *
     * @param spec one of {@link #NAMES}, or {@code spirals:K}; case-insensitive, surrounding blanks ignored
     * @param seed the random seed; the same name and seed give the same dataset
     * @return a new dataset (a regression set for {@code sine} and {@code server-load})
     * @throws IllegalArgumentException for an unknown name, listing the known ones, or a K that is not an
     *                                  integer of at least 2
     */
    public static Dataset byName(String spec, long seed) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("spirals:")) {
            int k;
            try {
                k = Integer.parseInt(s.substring("spirals:".length()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("synthetic dataset '" + spec + "': the number of arms must be an integer");
            }
            return spirals(300, k, 0.2, seed);
        }
        return switch (s) {
            case "xor" -> xor(1000, 0.1, seed);
            case "moons" -> twoMoons(1000, 0.1, seed);
            case "circles" -> circles(1000, 0.05, 0.5, seed);
            case "spirals" -> spirals(300, 3, 0.2, seed);
            case "sine" -> regressionCurve(1000, 0.1, seed);
            case "server-load" -> serverLoad(2000, 2.5, seed);
            default -> throw new IllegalArgumentException("unknown synthetic dataset '" + spec + "'; known: " + NAMES);
        };
    }

    private static Dataset shuffled(Dataset d, SplittableRandom rnd) {
        return d.subset(MiniBatches.shuffle(d.size(), rnd));
    }

    private static void checkSize(int n, String what) {
        if (n < 1) {
            throw new IllegalArgumentException(what + ": sample count must be positive, got " + n);
        }
    }
}
