package dendrite.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * How long two threads take to hand a flag to each other and back: one operation of each thread
 * waits for its turn and passes it on, so it lasts one round trip. It measures where the machine has
 * put the two threads, which every multi-threaded figure in the report depends on: on the cloud
 * machines we run on, the hypervisor moves the two virtual CPUs between cores that share an L3 cache
 * (a round trip of about 60 nanoseconds) and cores far apart (200 to 450), every few seconds to
 * minutes, and the time of a product split over both threads moves with it (benchmarks/README.md,
 * "Two threads far apart"). Run it just before and after a two-thread measurement and report it
 * beside the result.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
@State(Scope.Group)
public class HandOffBenchmark {
    /** Whose turn it is: false for {@link #ping}'s thread, true for {@link #pong}'s. */
    private final AtomicBoolean turn = new AtomicBoolean();

    /** Waits for its turn and hands it over; gives up when JMH ends the iteration (the other thread may be gone). */
    @Benchmark
    @Group("pass")
    @GroupThreads(1)
    public void ping(Control control) {
        while (!control.stopMeasurement && !turn.compareAndSet(false, true)) {
            Thread.onSpinWait();
        }
    }

    /** The other half of {@link #ping}. */
    @Benchmark
    @Group("pass")
    @GroupThreads(1)
    public void pong(Control control) {
        while (!control.stopMeasurement && !turn.compareAndSet(true, false)) {
            Thread.onSpinWait();
        }
    }
}
