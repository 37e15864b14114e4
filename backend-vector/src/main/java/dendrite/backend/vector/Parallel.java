package dendrite.backend.vector;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The backend's threads: {@code threads - 1} daemon workers plus the calling thread, sized to the
 * available processors or to the system property {@code dendrite.threads}.
 *
 * <p>Kernels are short (a 128 x 128 x 128 GEMM takes about 25 microseconds), so handing work to
 * another thread must be cheap: a parked thread takes tens of microseconds to run again. Workers
 * therefore spin for a short while ({@link #SPIN_NANOS}) after each job before they park; during
 * training kernels follow each other closely and the workers do not sleep.
 *
 * <p>The parts of a job are claimed from a shared counter, so when a worker is slow to start (the
 * operating system gave its core to another process) the caller simply runs the remaining parts
 * itself instead of waiting. Which thread runs a part never changes its result: each part writes
 * its own outputs, and how the work is cut into parts depends only on the problem size and
 * {@link #threads()}. Results are therefore deterministic.
 *
 * <p>One job runs at a time. A second thread calling in while the workers are busy, or a kernel
 * called from inside a job, runs its parts itself, one after another.
 */
final class Parallel implements AutoCloseable {
    /** System property overriding the thread count. */
    static final String PROPERTY = "dendrite.threads";
    /** How long an idle worker, or a caller waiting for its workers, spins before it parks. */
    static final long SPIN_NANOS = 100_000;

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final Worker[] workers;
    private final ReentrantLock busy = new ReentrantLock();
    private volatile boolean closed;

    // The one job in progress, in fields reused from job to job (a job object per call was a
    // steady allocation of every kernel). A job is published by writing its body and size, then
    // `claims`; it is over when `done` reaches its size, and only then is the next one written.
    /** The running job's body; written before {@link #claims} publishes the job. */
    private volatile IntConsumer body;
    /** The running job's number of parts. */
    private volatile int parts;
    /**
     * The job's sequence number (high 32 bits) and how many of its parts are still unclaimed (low
     * 32 bits). A thread claims a part by decrementing it with a compare-and-set, which fails if a
     * newer job was published meanwhile, so a late thread never runs a part of the wrong job.
     */
    private final AtomicLong claims = new AtomicLong();
    /** Parts of the running job finished. */
    private final AtomicInteger done = new AtomicInteger();
    /** The caller, once it parks waiting for the last parts. */
    private volatile Thread waiter;
    private volatile Throwable failure;

    Parallel(int threads) {
        this.threads = Math.max(1, threads);
        this.workers = new Worker[this.threads - 1];
        int id = POOLS.incrementAndGet();
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker();
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
            this.body = body;
            this.parts = parts;
            long sequence = (claims.get() >>> 32) + 1;
            claims.set(sequence << 32 | parts);
            for (Worker w : workers) {
                w.wake();
            }
            work();
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

    /** Whether the published job has parts left to claim. */
    private boolean hasWork() {
        return (int) claims.get() > 0;
    }

    /**
     * Claims and runs parts of the current job until none is left. The body and size are read
     * before the claim: a successful compare-and-set proves the job was still the current one then
     * (its parts not all claimed, so no newer job could have replaced them).
     */
    private void work() {
        while (true) {
            long c = claims.get();
            int left = (int) c;
            if (left <= 0) {
                return;
            }
            IntConsumer b = body;
            int n = parts;
            if (!claims.compareAndSet(c, c - 1)) {
                continue;
            }
            try {
                b.accept(n - left);
            } catch (Throwable t) {
                failure = t;
            }
            if (done.incrementAndGet() == n) {
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
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
        private Thread thread;
        private volatile boolean parked;

        void wake() {
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (!closed) {
                if (hasWork()) {
                    work();
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    if (!hasWork() && !closed) {
                        LockSupport.parkNanos(this, 100_000_000L);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
