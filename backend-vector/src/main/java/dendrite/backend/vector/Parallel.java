package dendrite.backend.vector;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The backend's threads: {@code threads - 1} daemon workers plus the calling thread, sized to the
 * available processors or to the system property {@code dendrite.threads}.
 *
 * <p>Kernels are short (a 128 x 128 x 128 GEMM takes about 25 microseconds), so handing work to
 * another thread must be cheap: a parked thread takes tens of microseconds to run again. Workers
 * therefore wait a short while ({@link #SPIN_NANOS}) after each job before they park; during
 * training kernels follow each other closely and the workers do not sleep. After the first
 * {@link #YIELD_AFTER_NANOS} of that wait a worker offers its core to other threads between
 * checks ({@link Thread#yield}): on a machine with more runnable threads than cores, a worker
 * spinning through the caller's gaps between kernels took the time the caller needed to reach the
 * next one (another process busy on one of two cores: the MLP's products 1.2-1.3 times slower
 * than with the yield, benchmarks/README.md).
 *
 * <p>Each thread has a home range of a job's parts (the caller the first, worker w the (w + 1)th),
 * which it runs first, so that a part's data stays on the same core from one job to the next: the
 * same rows of a product, the same range of an element-wise kernel. When a thread is slow to start
 * or to finish (the operating system gave its core to another process), the others claim what is
 * left of its range instead of waiting: a static split with stealing. Where the parts went to
 * whichever thread claimed first, the threads often swapped parts from one job to the next, and on
 * a machine whose two cores sat far apart every swap moved the part's data across (measured in
 * benchmarks/README.md, "Home ranges in the thread pool"). Which thread runs a part never changes
 * its result: each part writes its own outputs, and how the work is cut into parts depends only on
 * the problem size and {@link #threads()}. Results are therefore deterministic.
 *
 * <p>One job runs at a time. A second thread calling in while the workers are busy, or a kernel
 * called from inside a job, runs its parts itself, one after another.
 */
final class Parallel implements AutoCloseable {
    /** System property overriding the thread count. */
    static final String PROPERTY = "dendrite.threads";
    /**
     * How long an idle worker (spinning, then yielding), or a caller waiting for its workers
     * (spinning), waits before it parks.
     */
    static final long SPIN_NANOS = 100_000;
    /** How long an idle worker spins before it yields its core between checks for the next job. */
    static final long YIELD_AFTER_NANOS = 30_000;

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final Worker[] workers;
    private final ReentrantLock busy = new ReentrantLock();
    private volatile boolean closed;

    // The one job in progress, in fields reused from job to job (a job object per call was a
    // steady allocation of every kernel). A job is published by resetting the home ranges' counters,
    // writing its body and size, then `job`; it is over when `done` reaches its size, and only then
    // is the next one written.
    /** The running job's body; written before {@link #job} publishes the job. */
    private volatile IntConsumer body;
    /** The running job's number of parts. */
    private volatile int parts;
    /** The running job's sequence number, written last when a job is published. */
    private volatile int job;
    /**
     * Each thread's home range: the job's sequence number (high 32 bits) and the range's next
     * unclaimed part (low 32 bits), thread t's at {@code t * STRIDE} (a cache line each, so that
     * claiming in one's own range does not take the line from the others). A part is claimed by a
     * compare-and-set, which fails if a newer job was published meanwhile, so a late thread never
     * runs a part of the wrong job.
     */
    private final AtomicLongArray next;
    private static final int STRIDE = 16;
    /** Parts of the running job finished. */
    private final AtomicInteger done = new AtomicInteger();
    /** The caller, once it parks waiting for the last parts. */
    private volatile Thread waiter;
    private volatile Throwable failure;

    Parallel(int threads) {
        this.threads = Math.max(1, threads);
        this.next = new AtomicLongArray(this.threads * STRIDE);
        this.workers = new Worker[this.threads - 1];
        int id = POOLS.incrementAndGet();
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker(w + 1);
            Thread t = new WorkerThread(workers[w], "dendrite-vector-" + id + "-" + (w + 1));
            t.setDaemon(true);
            workers[w].thread = t;
            t.start();
        }
    }

    /** The thread count from {@code -Ddendrite.threads}, else the available processors. */
    static int configuredThreads() {
        String s = System.getProperty(PROPERTY);
        if (s != null && !s.isBlank()) {
            try {
                int t = Integer.parseInt(s.trim());
                if (t >= 1) {
                    return t;
                }
            } catch (NumberFormatException e) {
                // fall through to the default
            }
            System.getLogger(Parallel.class.getName()).log(System.Logger.Level.WARNING,
                    "ignoring -D" + PROPERTY + "=" + s + ": not a positive whole number");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** How many threads work on one kernel. */
    int threads() {
        return threads;
    }

    /** The number of parts for {@code work} units when a part should hold at least {@code grain} of them. */
    int parts(long work, long grain) {
        if (work < 2 * grain) {
            return 1;
        }
        return (int) Math.min(threads, work / grain);
    }

    /**
     * Whether a job started by this thread now would be shared with the workers: not when there are
     * none, the pool is closed, or this thread already runs a job's part or leads a job (then its
     * parts run one after another on it). Another thread's job can still make it run alone.
     */
    boolean shares() {
        return workers.length > 0 && !closed && !(Thread.currentThread() instanceof WorkerThread)
                && !busy.isHeldByCurrentThread();
    }

    /** Runs {@code body.accept(p)} for every part p in [0, parts) and returns when all are done. */
    void run(int parts, IntConsumer body) {
        if (parts <= 1 || workers.length == 0 || closed || Thread.currentThread() instanceof WorkerThread
                || busy.isHeldByCurrentThread() || !busy.tryLock()) {
            for (int p = 0; p < parts; p++) {
                body.accept(p);
            }
            return;
        }
        try {
            failure = null;
            waiter = null;
            done.set(0);
            int sequence = job + 1;
            for (int t = 0; t < threads; t++) {
                next.set(t * STRIDE, (long) sequence << 32 | start(t, parts));
            }
            this.body = body;
            this.parts = parts;
            job = sequence;
            for (Worker w : workers) {
                w.wake();
            }
            work(0, sequence);
            await(parts);
            this.body = null;
            Throwable t = failure;
            failure = null;
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        } finally {
            busy.unlock();
        }
    }

    /**
     * The first part of thread t's home range in a job of n parts (and, for t + 1, the end of it):
     * contiguous ranges of about n / threads parts, and with fewer parts than threads part t for
     * thread t.
     */
    private int start(int t, int n) {
        return start(t, n, threads);
    }

    /** {@link #start(int, int)} for a pool of {@code threads} threads. */
    static int start(int t, int n, int threads) {
        return n < threads ? Math.min(t, n) : (int) ((long) t * n / threads);
    }

    /**
     * Thread {@code me}'s share of job {@code sequence}: the parts of its home range, then those
     * left in the others' ranges, each claimed before it runs. The body and size are read before
     * any claim: a successful compare-and-set proves the job was still the current one then (its
     * parts not all claimed, so no newer job could have replaced them, nor its body and size, which
     * a new job writes after resetting the counters).
     */
    private void work(int me, int sequence) {
        IntConsumer b = body;
        int n = parts;
        for (int i = 0; i < threads; i++) {
            int t = (me + i) % threads;
            int end = start(t + 1, n);
            while (true) {
                long v = next.get(t * STRIDE);
                int p = (int) v;
                if ((int) (v >>> 32) != sequence || p >= end) {
                    break;
                }
                if (!next.compareAndSet(t * STRIDE, v, v + 1)) {
                    continue;
                }
                try {
                    b.accept(p);
                } catch (Throwable x) {
                    failure = x;
                }
                if (done.incrementAndGet() == n) {
                    Thread w = waiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }
            }
        }
    }

    /** Waits for the parts other threads claimed: spins briefly, then parks until the last one finishes. */
    private void await(int parts) {
        long start = System.nanoTime();
        while (done.get() < parts) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                waiter = Thread.currentThread();
                if (done.get() < parts) {
                    LockSupport.parkNanos(this, 1_000_000L);
                }
            }
        }
    }

    /** Stops the workers; later jobs run on the caller. */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
    }

    /** The pool's own threads, so a kernel called inside a job does not wait on itself. */
    private static final class WorkerThread extends Thread {
        WorkerThread(Runnable r, String name) {
            super(r, name);
        }
    }

    private final class Worker implements Runnable {
        /** This worker's home range in every job (the caller's is 0). */
        private final int index;
        private Thread thread;
        private volatile boolean parked;

        Worker(int index) {
            this.index = index;
        }

        void wake() {
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            int seen = job;
            while (!closed) {
                int current = job;
                if (current != seen) {
                    seen = current;
                    work(index, current);
                    idleSince = System.nanoTime();
                    continue;
                }
                long idle = System.nanoTime() - idleSince;
                if (idle < YIELD_AFTER_NANOS) {
                    Thread.onSpinWait();
                } else if (idle < SPIN_NANOS) {
                    Thread.yield();
                } else {
                    parked = true;
                    if (job == seen && !closed) {
                        LockSupport.parkNanos(this, 100_000_000L);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
