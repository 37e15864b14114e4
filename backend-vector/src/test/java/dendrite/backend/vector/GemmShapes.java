package dendrite.backend.vector;

import org.junit.jupiter.params.provider.Arguments;

/** Shapes for the GEMM tests that must reach a given path of {@link VectorGemm}, checked where they are made. */
final class GemmShapes {
    private GemmShapes() {
    }

    /**
     * m, n, k of a product meant to run in shared passes on several threads: throws if it is smaller
     * than {@link VectorGemm#SHARED_WORK}, so that moving the threshold cannot quietly take the passes
     * out of a test.
     */
    static int[] shared(int m, int n, int k) {
        if ((long) m * n * k < VectorGemm.SHARED_WORK) {
            throw new IllegalStateException(m + "x" + n + "x" + k + " is too small for shared passes");
        }
        return new int[] {m, n, k};
    }

    /** {@link #shared} as a parameterized test's arguments m, n, k. */
    static Arguments sharedArguments(int m, int n, int k) {
        int[] s = shared(m, n, k);
        return Arguments.of(s[0], s[1], s[2]);
    }
}
