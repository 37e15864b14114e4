package dendrite.nn.reliability;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Synthetic;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.StepEvent;
import dendrite.nn.train.Trainer;
import dendrite.nn.train.TrainingListener;
import dendrite.tensor.Backend;
import dendrite.tensor.MemoryStats;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise: no leaks under load. Thousands of training steps, and thousands of predictions, on a
 * tiny model keep the used heap (measured after a full GC) flat after warm-up, and on a backend that
 * counts its device memory (OpenCL) the live buffers and bytes exactly flat after the first step.
 *
 * <p>Each test runs on a backend instance of its own, so the device counts see only its tensors.
 * The heap slack allows for what legitimately grows (the {@code History}'s per-epoch metrics, a few
 * KB) and for GC noise (measured growth here: 0 to 38 KB); a leak of one small tensor per step (a
 * few hundred bytes) over the 3,500 measured steps exceeds it several times (a buffer kept per step
 * grew the heap by 13 MB in training and 30 MB in prediction).
 */
class SoakTest {
    private static final int BATCH = 8;
    private static final int SAMPLES = 2_048;          // 256 steps per epoch
    private static final int EPOCHS = 16;              // 4,096 steps
    private static final int WARM_UP_STEPS = 512;
    private static final int SAMPLE_EVERY = 512;
    private static final int PREDICTIONS = 3_000;
    private static final long HEAP_SLACK_BYTES = 256 * 1024;

    /**
     * Used heap after full collections. Through {@link Runtime} rather than {@code MemoryMXBean}:
     * the tests compile inside the {@code dendrite.nn} module, which does not read
     * {@code java.management}, and both report the same figure.
     */
    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static Sequential tinyModel(Backend be) {
        return Sequential.builder(2).dense(16).tanh().dense(2).build(be, 3);
    }

    /** Device memory counts must be tracked where the backend holds device memory. */
    private static void checkCountsAreTracked(String backend, Backend be) {
        if (backend.equals("opencl")) {
            assertTrue(be.memory().tracked(), "OpenCL must count its device buffers: " + be.memory());
        }
    }

    private static void assertHeapFlat(String what, List<Long> samples) {
        long first = samples.get(0);
        long worst = samples.stream().mapToLong(s -> s - first).max().orElse(0);
        String trace = samples.stream().map(s -> String.format(Locale.ROOT, "%.1f", s / 1024.0))
                .toList() + " KB";
        assertTrue(worst <= HEAP_SLACK_BYTES, what + ": used heap after GC grew by " + worst / 1024 + " KB (more than "
                + HEAP_SLACK_BYTES / 1024 + " KB) after warm-up: " + trace);
    }

    @OnEveryBackend
    void thousandsOfTrainingStepsKeepHeapAndDeviceMemoryFlat(String backend) {
        try (Backend be = EveryBackend.createPrivate(backend)) {
            checkCountsAreTracked(backend, be);
            Sequential model = tinyModel(be);
            Dataset data = Synthetic.twoMoons(SAMPLES, 0.1, 2);
            List<Long> heap = new ArrayList<>();
            MemoryStats[] afterFirstStep = new MemoryStats[1];
            List<String> deviceChanges = new ArrayList<>();
            Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(1e-3))
                    .epochs(EPOCHS).batchSize(BATCH).seed(1)
                    .listener(new TrainingListener() {
                        @Override
                        public void onStepEnd(StepEvent s) {
                            MemoryStats now = be.memory();
                            if (s.globalStep() == 1) {
                                afterFirstStep[0] = now;
                            } else if (now.liveBuffers() != afterFirstStep[0].liveBuffers()
                                    || now.liveBytes() != afterFirstStep[0].liveBytes()) {
                                deviceChanges.add("step " + s.globalStep() + ": " + now);
                            }
                            if (s.globalStep() >= WARM_UP_STEPS && s.globalStep() % SAMPLE_EVERY == 0) {
                                heap.add(usedHeapAfterGc());
                            }
                        }
                    }).build();
            trainer.fit(data);
            assertEquals((EPOCHS * SAMPLES / BATCH - WARM_UP_STEPS) / SAMPLE_EVERY + 1, heap.size(),
                    "a heap sample every " + SAMPLE_EVERY + " steps from step " + WARM_UP_STEPS);
            assertTrue(deviceChanges.isEmpty(), backend + ": live device memory after step 1 was " + afterFirstStep[0]
                    + ", then changed: " + deviceChanges.subList(0, Math.min(5, deviceChanges.size())));
            assertHeapFlat(backend + ", training", heap);
        }
    }

    @OnEveryBackend
    void thousandsOfPredictionsKeepHeapAndDeviceMemoryFlat(String backend) {
        try (Backend be = EveryBackend.createPrivate(backend)) {
            checkCountsAreTracked(backend, be);
            Sequential model = tinyModel(be);
            // Batches of 1, 7 and 300 rows (past the predict batch of 256), through each predict method.
            int[] sizes = {1, 7, 300};
            List<float[]> inputs = new ArrayList<>();
            for (int n : sizes) {
                float[] x = new float[2 * n];
                for (int i = 0; i < x.length; i++) {
                    x[i] = CounterRandom.normal(n, i);
                }
                inputs.add(x);
            }
            List<Long> heap = new ArrayList<>();
            MemoryStats afterFirstRound = null;
            List<String> deviceChanges = new ArrayList<>();
            for (int call = 0; call < PREDICTIONS; call++) {
                float[] x = inputs.get(call % sizes.length);
                int n = sizes[call % sizes.length];
                switch (call % 4) {
                    case 0 -> model.predict(x, n);
                    case 1 -> model.predictProba(x, n);
                    case 2 -> model.predictClasses(x, n);
                    default -> {
                        try (Tensor in = be.tensor(x, n, 2); Tensor out = model.predict(in)) {
                            out.toArray();
                        }
                    }
                }
                if (call == 11) {                    // every size has met every method once
                    afterFirstRound = be.memory();
                } else if (call > 11 && !sameLiveMemory(afterFirstRound, be.memory())) {
                    deviceChanges.add("call " + call + ": " + be.memory());
                }
                if (call >= 500 && call % 500 == 0) {
                    heap.add(usedHeapAfterGc());
                }
            }
            assertTrue(deviceChanges.isEmpty(), backend + ": live device memory after the first round was "
                    + afterFirstRound + ", then changed: " + deviceChanges.subList(0, Math.min(5, deviceChanges.size())));
            assertHeapFlat(backend + ", prediction", heap);
        }
    }

    private static boolean sameLiveMemory(MemoryStats a, MemoryStats b) {
        return a.liveBuffers() == b.liveBuffers() && a.liveBytes() == b.liveBytes();
    }
}
