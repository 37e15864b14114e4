package dendrite.backend.scalar;

/**
 * Matrix multiply and transpose, as the textbook writes them.
 *
 * <p>Matrices are row-major {@code float[]} slices: element (i, j) of an [r, c] matrix stored
 * at {@code off} is {@code data[off + i * c + j]}. A transposed operand is read in place, by
 * swapping the roles of its indices; nothing is copied.
 */
final class ScalarGemm {
    private ScalarGemm() {
    }

    /**
     * {@code C = alpha * op(A) op(B) + beta * C}, with op(A) [m, k], op(B) [k, n], C [m, n].
     *
     * <p>Each output element is one dot product accumulated in {@code float} in increasing
     * {@code p} from 0: {@code sum = ((0 + a_i0 b_0j) + a_i1 b_1j) + ...}, then
     * {@code c_ij = alpha * sum + beta * c_ij}. This order is the reference; faster backends
     * reorder the sum and are compared within a tolerance that grows with k.
     *
     * <p>With {@code beta == 0} the old C is not read at all, so a NaN or infinity left in an
     * uninitialized output does not leak into the result (BLAS does the same).
     *
     * @param a    A's data; A is [m, k], or [k, m] when {@code transA}
     * @param b    B's data; B is [k, n], or [n, k] when {@code transB}
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    // op(A)[i, p] and op(B)[p, j], read through the transpose when asked.
                    float aip = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    float bpj = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    sum += aip * bpj;
                }
                int ij = cOff + i * n + j;
                c[ij] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ij];
            }
        }
    }

    /**
     * {@code C[i] = alpha * op(A[i]) op(B[i]) + beta * C[i]} for i in [0, batch): {@link #gemm} on
     * each product, the products stored one after another (A[i] at {@code aOff + i * m * k}, B[i] at
     * {@code bOff + i * k * n}, C[i] at {@code cOff + i * m * n}).
     */
    static void batchedGemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
            float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
        for (int i = 0; i < batch; i++) {
            gemm(transA, transB, m, n, k, alpha, a, aOff + i * m * k, b, bOff + i * k * n, beta, c, cOff + i * m * n);
        }
    }

    /** {@code out[j, i] = a[i, j]} for a [m, n]; out is [n, m]. */
    static void transpose(int m, int n, float[] a, int aOff, float[] out, int outOff) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                out[outOff + j * m + i] = a[aOff + i * n + j];
            }
        }
    }
}
