package dendrite.backend.opencl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.PoolOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;

/**
 * Not a test: prints how long each kernel family takes on its first launch (program build plus,
 * on PoCL, the work-group function compiled at first enqueue) and on its second. Run it with and
 * without {@code POCL_WORK_GROUP_METHOD=loops} and with {@code POCL_KERNEL_CACHE=0} to see what a
 * cold CI run pays:
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) dendrite.backend.opencl.KernelCompileTimes
 * </pre>
 */
public final class KernelCompileTimes {
    private KernelCompileTimes() {
    }

    public static void main(String[] args) {
        ClBackendProvider provider = new ClBackendProvider();
        System.out.println(provider.probe().explain());
        try (Backend be = Backend.of(provider.create())) {
            Tensor a = be.full(0.5f, 256, 256), b = be.full(0.25f, 256, 256), c = be.zeros(256, 256);
            Tensor small = be.full(1f, 7, 9), smallOut = be.zeros(7, 9), row = be.zeros(256);
            Tensor one = be.zeros(1), labels = be.zeros(256);
            Map<String, Consumer<Backend>> ops = new LinkedHashMap<>();
            ops.put("fill (elementwise.cl build)", x -> x.fill(c, 1f));
            ops.put("unary", x -> x.unary(UnaryOp.EXP, a, c));
            ops.put("binary", x -> x.binary(BinaryOp.ADD, a, b, c));
            ops.put("activation", x -> x.activation(Activation.GELU, 0f, a, c));
            ops.put("activationBackward", x -> x.activationBackward(Activation.GELU, 0f, a, b, b, c));
            ops.put("gemm tiled vec (gemm.cl build)", x -> x.gemm(false, false, 1f, a, b, 0f, c));
            ops.put("gemm tiled guarded", x -> x.gemm(true, false, 1f, a.rows(1, 256), b.rows(1, 256), 0f, c));
            ops.put("gemm direct", x -> x.gemm(false, true, 1f, small, small, 0f, be.zeros(7, 7)));
            ops.put("reduce group (reduce.cl build)", x -> x.reduce(ReduceOp.SUM, be.zeros(2, 1000), 1, be.zeros(2)));
            ops.put("reduce serial", x -> x.reduce(ReduceOp.SUM, a, 0, row));
            ops.put("reduceAll two-pass", x -> x.reduceAll(ReduceOp.SUM, a, one));
            ops.put("softmax group (rows.cl build)", x -> x.softmax(a, c));
            ops.put("softmax serial", x -> x.softmax(small, smallOut));
            ops.put("argmax group", x -> x.argmax(a, row));
            Tensor mean = be.zeros(256), rstd = be.zeros(256), dGamma = be.zeros(256);
            ops.put("layerNorm group (norm.cl build)", x -> x.layerNorm(a, row, null, 1e-5f, c, mean, rstd));
            ops.put("layerNorm backward", x -> x.layerNormBackward(a, mean, rstd, row, b, c, dGamma, null));
            ops.put("batchedGemm tiled", x -> x.batchedGemm(false, true, 1f, a.reshape(4, 64, 256), b.reshape(4, 64, 256),
                    0f, be.zeros(4, 64, 64)));
            ops.put("transpose", x -> x.transpose(a, c));
            ops.put("oneHot", x -> x.oneHot(labels, 1f, 0f, c));
            ops.put("adam (optim.cl build)", x -> x.adamUpdate(a, b, c, c, 0.1f, 0.9f, 0.99f, 1e-8f, 0f, true, 1));
            ops.put("randomNormal (random.cl build)", x -> x.randomNormal(1, 0f, 1f, c));
            Conv2dGeometry conv = Conv2dGeometry.conv(4, 3, 32, 32, 8, 3, 3, 1, 1, 1, 1);
            Conv2dGeometry pool = Conv2dGeometry.pool(4, 8, 32, 32, 2, 2, 2, 2, 0, 0);
            Tensor image = be.full(0.5f, 4, 3, 32, 32), filters = be.full(0.1f, 8, 3, 3, 3);
            Tensor features = be.zeros(4, 8, 32, 32), dFeatures = be.zeros(4, 8, 32, 32);
            Tensor pooled = be.zeros(4, 8, 16, 16);
            ops.put("conv2d (images.cl build, im2col)", x -> x.conv2d(image, filters, null, conv, features));
            ops.put("conv2d input gradient (col2im)", x -> x.conv2dBackwardData(features, filters, conv, image));
            ops.put("maxPool2d", x -> x.pool2d(PoolOp.MAX, features, pool, pooled));
            ops.put("maxPool2d backward", x -> x.pool2dBackward(PoolOp.MAX, features, pooled, pooled, pool, dFeatures));
            long total = System.nanoTime();
            for (var e : ops.entrySet()) {
                long t0 = System.nanoTime();
                e.getValue().accept(be);
                be.synchronize();
                long t1 = System.nanoTime();
                e.getValue().accept(be);
                be.synchronize();
                long t2 = System.nanoTime();
                System.out.printf("%-34s first %8.1f ms   again %6.2f ms%n", e.getKey(), (t1 - t0) / 1e6, (t2 - t1) / 1e6);
            }
            System.out.printf("total %.2f s, of which clBuildProgram %.2f s%n", (System.nanoTime() - total) / 1e9,
                    ((ClKernels) be.kernels()).kernelBuildSeconds());
        }
    }
}
