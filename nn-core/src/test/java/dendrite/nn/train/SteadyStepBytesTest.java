package dendrite.nn.train;

import dendrite.nn.EveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.losses.Loss;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adagrad;
import dendrite.nn.optim.Adam;
import dendrite.nn.optim.AdamW;
import dendrite.nn.optim.Optimizer;
import dendrite.nn.optim.Schedules;
import dendrite.nn.optim.Sgd;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Once compiled, a training step on the vector backend allocates (almost) no heap bytes, on the
 * calling thread or the pool's, for a CNN and an MLP large enough that their activations and Adam updates are split over
 * the pool. {@link SteadyStepAllocationTest} counts tensors; this counts bytes, which is what the
 * garbage collector sees (issue 14 asks for under 1 KB per step), on the calling thread and the
 * backend's pool workers.
 *
 * <p>Before C2 compiles the vector loops, the Vector API's Java fallback boxes every vector, so
 * rounds of steps run until one stays under the bound, and the test fails only if none does in 150
 * rounds and two minutes (the graph model's C2 warm-up took 34-37 s of the one minute this was
 * before, in the full run with 256-bit vectors on a 2-vCPU AMD host; a passing test ends at its first
 * round under the bound, so the longer window costs only a failing one). The bound, 64 bytes a step, leaves room for the pool's odd allocation; the
 * sources this test was written against allocated about 1 KB a step with 512-bit vectors (capturing
 * lambdas handed to the pool, shapes made per step) and 9 KB with 256-bit ones (a vector boxed per
 * softmax row).
 *
 * <p>It runs in the full test JVM on purpose, after hundreds of other tests have exercised the same
 * kernels with other ops and shapes: that is where a kernel written as one method for several ops
 * compiled into a form that boxed vectors (12 KB a step for the MLP, 600 KB for the CNN), which a
 * fresh JVM never showed.
 */
class SteadyStepBytesTest {
    private static final int STEPS = 20;
    private static final long BYTES_PER_STEP = 64;
    private static final int MIN_ROUNDS = 150;
    private static final java.time.Duration WARM_UP = java.time.Duration.ofSeconds(120);

    /**
     * Softmax on rows narrower than a vector first, as a 3-class model's predictions run it: once, that
     * made C2 compile the row maximum into a form that boxed a vector on every row of every later
     * training step (12 KB a step here, 49 KB for the MLP), seen when PredictorTest ran before this.
     */
    @org.junit.jupiter.api.BeforeAll
    static void softmaxOnRowsNarrowerThanAVectorFirst() {
        Backend be = vector();
        try (Tensor x = be.tensor(new float[64 * 3], 64, 3); Tensor y = be.zeros(64, 3)) {
            for (int i = 0; i < 20_000; i++) {
                be.softmax(x, y);
                be.logSoftmax(x, y);
            }
        }
    }

    @Test
    void aSteadyCnnStepAllocatesUnder64Bytes() {
        assertSteady("cnn", backend -> Sequential.builder(1, 28, 28)
                .conv2d(32, 3).relu().maxPool2d(2)
                .conv2d(16, 3).relu().maxPool2d(2)
                .flatten().dense(64).relu().dense(10)
                .build(backend, 7), 32, new int[] {1, 28, 28});
    }

    /**
     * A graph: a residual block (fan-out, add, batch norm) and a concatenation along channels. Written
     * when this model allocated 2.4 KB a step: BatchNorm2d's large broadcasts, reductions and squares
     * handed the pool capturing lambdas, packing B for the GEMM made a mask array per masked load, and
     * its two-dimensional views went through a varargs call.
     */
    @Test
    void aSteadyGraphStepAllocatesUnder64Bytes() {
        assertSteady("graph", backend -> Sequential.builder(1, 28, 28)
                .conv2d(8, 3, 1, 1).relu()
                .add(dendrite.nn.graph.Blocks.residual(8, 8, 1))
                .add(dendrite.nn.graph.Graph.builder()
                        .layer("pool", new dendrite.nn.layers.MaxPool2d(2), "input")
                        .layer("conv", new dendrite.nn.layers.Conv2d(8, 4, 3, 3, 1, 1, 1, 1, false, 1, 1, 1, true, null),
                                "pool")
                        .concat("joined", 0, "conv", "pool")
                        .build())
                .flatten().dense(10)
                .build(backend, 7), 32, new int[] {1, 28, 28});
    }

    /**
     * A character model as {@code dendrite train --dataset text:...} builds it: token ids through an
     * embedding, two stacked LSTMs with dropout between them, a classifier on the last step (issue 15
     * asks for under 1 KB a step; the recurrent layers' per-step row views were once 237 KB).
     */
    @Test
    void aSteadyRecurrentStepAllocatesUnder64Bytes() {
        assertSteady("lstm", backend -> Sequential.builder(24).embedding(40, 16)
                .add(new dendrite.nn.layers.RecurrentStack("lstm", -1, 48, 2, false, false, true).dropout(0.2))
                .dense(10)
                .build(backend, 7), 32, new int[] {24});
    }

    /**
     * A tagger: one class per time step, logits {@code [batch, 24, 10]} against indices {@code [batch, 24]}, so
     * cross-entropy views both as rows of the batch's steps, with and without class weights.
     */
    @Test
    void aSteadySequenceTaggingStepAllocatesUnder64Bytes() {
        int batch = 16;
        java.util.Random random = new java.util.Random(6);
        float[] tags = new float[batch * 24];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = random.nextInt(10);
        }
        for (Loss loss : new Loss[] {Losses.softmaxCrossEntropy(0.1),
            Losses.softmaxCrossEntropy(new float[] {1, 2, 1, 2, 1, 2, 1, 2, 1, 3}, 0)}) {
            assertSteady("tagger", backend -> Sequential.builder(24).embedding(40, 16).lstm(24, true).dense(10)
                    .build(backend, 7), batch, new int[] {24}, loss, new Adam(1e-3), 1, tags, 24);
        }
    }

    @Test
    void aSteadyTransformerStepAllocatesUnder64Bytes() {
        assertSteady("transformer", backend -> Sequential.builder(24).embedding(40, 32)
                .add(dendrite.nn.graph.Blocks.transformerEncoder(32, 4, 64, 0.1, true, true, false))
                .flatten().dense(10)
                .build(backend, 7), 32, new int[] {24});
    }

    /**
     * A text CNN: embedding, Transpose to channels first, Conv1d, GroupNorm, SiLU, MaxPool1d (each viewing its
     * batch in other shapes).
     */
    @Test
    void aSteadyTextCnnStepAllocatesUnder64Bytes() {
        assertSteady("textcnn", backend -> Sequential.builder(24).embedding(40, 16).transpose().conv1d(32, 3)
                .groupNorm(4).silu()
                .maxPool1d(2).flatten().dense(10)
                .build(backend, 7), 32, new int[] {24});
    }

    /**
     * A decoder: a strided convolution, Upsample2d bilinear and nearest, each between convolutions (their
     * passes view the batch as rows of one value and of a whole image row, with indices kept per batch size).
     */
    @Test
    void aSteadyUpsamplingDecoderStepAllocatesUnder64Bytes() {
        assertSteady("upsample", backend -> Sequential.builder(1, 16, 16)
                .conv2d(8, 3, 2, 1).relu().upsample2d(2, dendrite.nn.layers.Upsample2d.Mode.BILINEAR)
                .conv2d(8, 3, 1, 1).relu().upsample2d(2).conv2d(4, 3, 2, 1)
                .globalAvgPool2d().flatten().dense(10)
                .build(backend, 7), 32, new int[] {1, 16, 16});
    }

    /**
     * PReLU per channel after a convolution (slopes gathered down a column each step) and one slope after a
     * dense layer; ReLU6 and Hardtanh (clamp forward, two gated copies backward); Rescaling of the input.
     */
    @Test
    void aSteadyPreluStepAllocatesUnder64Bytes() {
        assertSteady("prelu", backend -> Sequential.builder(1, 16, 16).rescaling(2, -1)
                .conv2d(8, 3, 2, 1).prelu(8).conv2d(4, 3, 2, 1).relu6().flatten().dense(20).prelu().dense(10).hardtanh()
                .build(backend, 7), 32, new int[] {1, 16, 16});
    }

    @Test
    void aSteadyGruStepAllocatesUnder64Bytes() {
        assertSteady("gru", backend -> Sequential.builder(24).embedding(40, 16).gru(32, false)
                .dense(64).batchNorm().relu().dropout(0.3).dense(10)
                .build(backend, 7), 32, new int[] {24});
    }

    /**
     * A bidirectional GRU stack over padded sequences (padding index, masked steps) pooled over time,
     * with Adagrad. Written when it allocated 6 KB a step: Bidirectional made new views of its tensors
     * every step, which made its directions' own view caches miss too.
     */
    @Test
    void aSteadyBidirectionalStepAllocatesUnder64Bytes() {
        assertSteady("bidirectional", backend -> Sequential.builder(24).embedding(40, 16, 0)
                .add(new dendrite.nn.layers.RecurrentStack("gru", -1, 24, 2, true, true, true))
                .add(new dendrite.nn.layers.GlobalAvgPool1d()).dense(10)
                .build(backend, 7), 32, new int[] {24}, Losses.softmaxCrossEntropy(), new Adagrad(0.01), false);
    }

    /**
     * Strided and transposed convolution, average pooling, 2-D batch normalization and dropout, with
     * SGD (Nesterov), gradient clipping by norm and a cosine schedule. Written when the clipping
     * allocated 120 bytes a step (walking the parameter map, reading the norms into a new array).
     */
    @Test
    void aSteadyConvolutionWithClippingStepAllocatesUnder64Bytes() {
        assertSteady("convolution", backend -> Sequential.builder(1, 28, 28)
                .conv2d(8, 3, 2, 1).relu().convTranspose2d(4, 2, 2).avgPool2d(2).batchNorm2d().dropout2d(0.2)
                .globalAvgPool2d().flatten().dense(10)
                .build(backend, 7), 32, new int[] {1, 28, 28}, Losses.softmaxCrossEntropy(),
                new Sgd(0.01, 0.9, true).clipGradNorm(1.0).schedule(Schedules.cosine(10, 100_000, 0.1)), false);
    }

    /**
     * The activation layers (leaky ReLU, sigmoid, tanh, GELU, softmax) regressed with mean squared
     * error, AdamW, clipping by value and an exponential schedule. Written when the softmax layer's
     * backward pass made three views a step (160 bytes).
     */
    @Test
    void aSteadyActivationLayersStepAllocatesUnder64Bytes() {
        assertSteady("activations", backend -> Sequential.builder(100).dense(300).leakyRelu(0.1f).dense(300).sigmoid()
                .dense(300).tanh().dense(300).gelu().dense(10).softmax()
                .build(backend, 7), 32, new int[] {100}, Losses.mse(),
                new AdamW(1e-3).clipGradValue(0.5).schedule(Schedules.exponential(0.999)), true);
    }

    /**
     * NAdam, RAdam, Adamax and Adadelta, composed of element-wise operations on scratch tensors kept per
     * parameter (NAdam also caches its momentum product per parameter): no allocation once warm.
     */
    @Test
    void steadyStepsOfTheComposedOptimizersAllocateUnder64Bytes() {
        for (Optimizer optimizer : new Optimizer[] {new dendrite.nn.optim.NAdam(2e-3).weightDecay(1e-4),
            new dendrite.nn.optim.RAdam(1e-3), new dendrite.nn.optim.Adamax(2e-3), new dendrite.nn.optim.Adadelta(1.0)}) {
            assertSteady("optimizer " + optimizer.name(), backend -> Sequential.builder(50).dense(64).relu().dense(10)
                    .build(backend, 7), 32, new int[] {50}, Losses.softmaxCrossEntropy(), optimizer, false);
        }
    }

    /** Class weights with label smoothing, where the weighted mean's denominator is computed each step. */
    @Test
    void aSteadyClassWeightedStepAllocatesUnder64Bytes() {
        assertSteady("class-weighted", backend -> Sequential.builder(50).dense(64).relu().dense(10)
                .build(backend, 7), 32, new int[] {50},
                Losses.softmaxCrossEntropy(new float[] {1, 2, 3, 4, 5, 0.5f, 1, 2, 3, 4}, 0.1), new Adam(1e-3), false);
    }

    /** Gradients summed over three steps, the optimizer stepping on every third. */
    @Test
    void aSteadyAccumulatingStepAllocatesUnder64Bytes() {
        assertSteady("accumulating", backend -> Sequential.builder(50).dense(64).relu().dense(10)
                .build(backend, 7), 32, new int[] {50}, Losses.softmaxCrossEntropy(), new Adam(1e-3), false, 3);
    }

    @Test
    void aSteadyPositiveWeightedStepAllocatesUnder64Bytes() {
        assertSteady("pos-weighted", backend -> Sequential.builder(50).dense(64).relu().dense(10)
                .build(backend, 7), 32, new int[] {50}, Losses.binaryCrossEntropyWithLogits(3f), new Adam(1e-3), true);
    }

    /**
     * The losses PyTorch's users reach for, as the heads of one multi-task loss after a LogSoftmax layer:
     * NLL with class weights and an ignore index, KL divergence, Poisson NLL with the Stirling term, the
     * focal loss on class indices and smooth L1.
     */
    @Test
    void aSteadyStepOfTheMoreLossesAllocatesUnder64Bytes() {
        java.util.Random random = new java.util.Random(5);
        int batch = 32;
        int columns = 1 + 5 + 3 + 1 + 2;
        float[] ys = new float[batch * columns];
        for (int i = 0; i < batch; i++) {
            int c = i * columns;
            ys[c] = i % 9 == 0 ? -100 : random.nextInt(10);           // a class, or ignored
            for (int j = 0; j < 5; j++) {
                ys[c + 1 + j] = j == 0 ? 0 : random.nextFloat() / 4;     // probabilities, a zero among them
            }
            for (int j = 0; j < 3; j++) {
                ys[c + 6 + j] = random.nextInt(6);                        // counts
            }
            ys[c + 9] = random.nextInt(4);                                // a class of the focal head
            ys[c + 10] = random.nextFloat();
            ys[c + 11] = random.nextFloat();
        }
        Loss loss = dendrite.nn.losses.MultiTaskLoss.builder()
                .head("class", 10, Losses.nll(new float[] {1, 2, 3, 4, 5, 0.5f, 1, 2, 3, 4}, -100), 1, 1.0)
                .head("distribution", 5, Losses.klDiv(), 5, 1.0)
                .head("counts", 3, Losses.poissonNll(true, true, 1e-8), 3, 1.0)
                .head("detection", 4, Losses.sigmoidFocal(), 1, 1.0)
                .head("box", 2, Losses.smoothL1(0.5), 2, 1.0)
                .build();
        assertSteady("more-losses", backend -> Sequential.builder(50).dense(64).relu().dense(24).logSoftmax()
                .build(backend, 7), batch, new int[] {50}, loss, new Adam(1e-3), 1, ys, columns);
    }

    @Test
    void aSteadyMlpStepAllocatesUnder64Bytes() {
        assertSteady("mlp", backend -> Sequential.builder(784).dense(256).relu().dense(128).relu().dense(10)
                .build(backend, 7), 128, new int[] {784});
    }

    private static void assertSteady(String name, java.util.function.Function<Backend, Sequential> build, int batch,
            int[] sample) {
        assertSteady(name, build, batch, sample, Losses.softmaxCrossEntropy(), new Adam(1e-3), false);
    }

    /**
     * Steps of {@code build}'s model on one batch: token ids in [0, 40) where the model starts with an
     * embedding, values in [0, 1) otherwise; class labels, or with {@code regression} 10 targets a sample.
     */
    private static void assertSteady(String name, java.util.function.Function<Backend, Sequential> build, int batch,
            int[] sample, Loss loss, Optimizer optimizer, boolean regression) {
        assertSteady(name, build, batch, sample, loss, optimizer, regression, 1);
    }

    /** As above, with the optimizer stepping on every {@code accumulate}-th step's summed gradients. */
    private static void assertSteady(String name, java.util.function.Function<Backend, Sequential> build, int batch,
            int[] sample, Loss loss, Optimizer optimizer, boolean regression, int accumulate) {
        java.util.Random random = new java.util.Random(4);
        float[] ys = new float[regression ? batch * 10 : batch];
        for (int i = 0; i < ys.length; i++) {
            ys[i] = regression ? random.nextFloat() : random.nextInt(10);
        }
        assertSteady(name, build, batch, sample, loss, optimizer, accumulate, ys, regression ? 10 : 0);
    }

    /** As above, with the targets given: {@code columns} a sample ({@code [batch, columns]}), or 0 for {@code [batch]}. */
    private static void assertSteady(String name, java.util.function.Function<Backend, Sequential> build, int batch,
            int[] sample, Loss loss, Optimizer optimizer, int accumulate, float[] ys, int columns) {
        Backend be = vector();
        Sequential model = build.apply(be);
        Trainer trainer = Trainer.builder(model).loss(loss).optimizer(optimizer).batchSize(batch)
                .accumulateGradients(accumulate).build();
        boolean tokens = model.layers().get(0) instanceof dendrite.nn.layers.Embedding;
        int[] dims = new int[sample.length + 1];
        dims[0] = batch;
        System.arraycopy(sample, 0, dims, 1, sample.length);
        java.util.Random random = new java.util.Random(3);
        float[] xs = new float[batch * model.inputShape().size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = tokens ? random.nextInt(40) : random.nextFloat();
        }
        Tensor x = be.tensor(xs, dims);
        Tensor y = columns > 0 ? be.tensor(ys, batch, columns) : be.tensor(ys, batch);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        trainer.step(x, y);                           // starts the backend's pool, if it has not started
        long[] ids = stepThreads();
        long best = Long.MAX_VALUE;
        long start = System.nanoTime();
        int rounds = 0;
        // At least MIN_ROUNDS and at least WARM_UP of wall time: on a host shared with other tenants the
        // JIT's compiler threads get a fraction of a core, and a fixed number of steps once ended before
        // C2 had compiled the Vector API's loops (the interpreter's boxed vectors then read as a leak).
        while (best > BYTES_PER_STEP * STEPS
                && (rounds < MIN_ROUNDS || System.nanoTime() - start < WARM_UP.toNanos())) {
            long before = allocated(threads, ids);
            for (int i = 0; i < STEPS; i++) {
                trainer.step(x, y);
            }
            best = Math.min(best, allocated(threads, ids) - before);
            rounds++;
        }
        long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        // Flight Recorder samples an allocation when a thread takes a new allocation buffer, so a few
        // hundred bytes a step need thousands of steps before a sample names them.
        long steps = Math.min(200L * STEPS, Math.max(STEPS, (8L << 20) / Math.max(1, best / STEPS)));
        String where = best <= BYTES_PER_STEP * STEPS ? "" : dendrite.tensor.conformance.AllocationSites.during(ids, () -> {
            for (long i = 0; i < steps; i++) {
                trainer.step(x, y);
            }
        });
        x.close();
        y.close();
        assertTrue(best <= BYTES_PER_STEP * STEPS, name + ": the least allocated by " + STEPS
                + " warm steps was " + best + " bytes (" + best / STEPS + " a step) in " + rounds + " rounds over "
                + seconds + " s" + where);
    }

    /**
     * The threads a step runs on: this one and the vector backend's pool workers. Not every thread
     * of the JVM: in the full test run, threads that other tests left behind allocate at their own
     * rate, which would be charged to the step.
     */
    private static long[] stepThreads() {
        return java.util.stream.Stream.concat(Stream.of(Thread.currentThread()), Thread.getAllStackTraces().keySet()
                .stream().filter(t -> t.getName().startsWith("dendrite-vector-")))
                .mapToLong(Thread::threadId).distinct().toArray();
    }

    /** Bytes allocated so far by these threads (one reading each: no array is allocated). */
    private static long allocated(com.sun.management.ThreadMXBean threads, long[] ids) {
        long sum = 0;
        for (long id : ids) {
            sum += Math.max(0, threads.getThreadAllocatedBytes(id));
        }
        return sum;
    }

    /** The vector backend; skipped with the reason where it cannot run, failed where CI requires it. */
    private static Backend vector() {
        return EveryBackend.get("vector");
    }
}
