package dendrite.bench;

import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import dev.ludovic.netlib.blas.BLAS;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One row-major single-precision GEMM, {@code C = op(A) op(B)}, on a Dendrite backend or a netlib
 * peer, so the benchmark times every implementation through the same three calls.
 */
abstract class Gemm implements AutoCloseable {
    final int m, n, k;
    final boolean transA, transB;

    Gemm(int m, int n, int k, boolean transA, boolean transB) {
        this.m = m;
        this.n = n;
        this.k = k;
        this.transA = transA;
        this.transB = transB;
    }

    /** Runs the product once (and waits for it, on asynchronous backends). */
    abstract void run();

    /** The result, row-major [m, n]. */
    abstract float[] result();

    @Override
    public void close() {
    }

    /** Shape of A as stored: [m, k], or [k, m] when transposed. */
    static int[] aDims(int m, int k, boolean transA) {
        return transA ? new int[] {k, m} : new int[] {m, k};
    }

    static int[] bDims(int k, int n, boolean transB) {
        return transB ? new int[] {n, k} : new int[] {k, n};
    }

    /**
     * The implementation named {@code backend}, or an exception whose message says why it cannot run
     * here (the benchmark prints it and skips).
     */
    static Gemm create(String backend, int m, int n, int k, boolean transA, boolean transB, float[] a, float[] b) {
        return switch (backend) {
            case "netlib-native" -> new Netlib(nativeBlas(), m, n, k, transA, transB, a, b);
            case "netlib-java" -> new Netlib(dev.ludovic.netlib.blas.JavaBLAS.getInstance(), m, n, k, transA, transB, a, b);
            default -> new OnBackend(Backends.get(backend), m, n, k, transA, transB, a, b);
        };
    }

    /** Debian's OpenBLAS locations, tried in order; -Ddendrite.bench.blas overrides them. */
    static final List<String> BLAS_CANDIDATES = List.of(
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3",
            "/usr/lib/x86_64-linux-gnu/libblas.so.3",
            "/usr/lib/aarch64-linux-gnu/openblas-pthread/libblas.so.3",
            "/usr/lib/aarch64-linux-gnu/libblas.so.3");

    static BLAS nativeBlas() {
        if (System.getProperty("dev.ludovic.netlib.blas.nativeLibPath") == null) {
            String chosen = System.getProperty("dendrite.bench.blas");
            if (chosen == null) {
                for (String c : BLAS_CANDIDATES) {
                    if (Files.exists(Path.of(c))) {
                        chosen = c;
                        break;
                    }
                }
            }
            if (chosen == null) {
                throw new IllegalStateException("no native BLAS found: apt-get install -y libopenblas0-pthread "
                        + "(or pass -Ddendrite.bench.blas=/path/to/libblas.so.3)");
            }
            try {
                chosen = Path.of(chosen).toRealPath().toString();   // resolve Debian's alternatives links
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot resolve " + chosen + ": " + e.getMessage(), e);
            }
            System.setProperty("dev.ludovic.netlib.blas.nativeLibPath", chosen);
        }
        try {
            return dev.ludovic.netlib.blas.NativeBLAS.getInstance();
        } catch (Throwable e) {
            throw new IllegalStateException("native BLAS unavailable: " + e.getMessage()
                    + " (apt-get install -y libopenblas0-pthread)", e);
        }
    }

    /** A Dendrite backend: tensors made once, one gemm per run. */
    static final class OnBackend extends Gemm {
        private final Backend be;
        private final Tensor ta, tb, tc;

        OnBackend(Backend be, int m, int n, int k, boolean transA, boolean transB, float[] a, float[] b) {
            super(m, n, k, transA, transB);
            this.be = be;
            this.ta = be.tensor(a, aDims(m, k, transA));
            this.tb = be.tensor(b, bDims(k, n, transB));
            this.tc = be.zeros(m, n);
        }

        @Override
        void run() {
            be.gemm(transA, transB, 1f, ta, tb, 0f, tc);
            be.synchronize();
        }

        @Override
        float[] result() {
            return tc.toArray();
        }

        @Override
        public void close() {
            ta.close();
            tb.close();
            tc.close();
        }
    }

    /**
     * A netlib BLAS, which is column-major: a row-major C = op(A) op(B) is the column-major
     * C^T = op(B)^T op(A)^T, so the operands swap places and keep their transpose flags.
     */
    static final class Netlib extends Gemm {
        private final BLAS blas;
        private final float[] a, b, c;

        Netlib(BLAS blas, int m, int n, int k, boolean transA, boolean transB, float[] a, float[] b) {
            super(m, n, k, transA, transB);
            this.blas = blas;
            this.a = a;
            this.b = b;
            this.c = new float[m * n];
        }

        @Override
        void run() {
            int lda = transA ? m : k;   // row length of A as stored
            int ldb = transB ? k : n;
            blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, 1f, b, ldb, a, lda, 0f, c, n);
        }

        @Override
        float[] result() {
            return c.clone();
        }
    }
}
