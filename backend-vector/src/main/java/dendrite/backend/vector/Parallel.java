package dendrite.backend.vector;

import java.util.concurrent.atomic.AtomicInteger;
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
    private volatile Job current;
    private volatile boolean closed;

    /** One call of {@link #run}: its parts, who claimed what, and who is waiting. */
    private static final class Job {
        final IntConsumer body;
        final int parts;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Thread waiter;
        volatile Throwable failure;

        Job(IntConsumer body, int parts) {
            this.body = body;
            this.parts = parts;
        }

        /** Claims and runs parts until none is left. */
        void work() {
            int p;
            while ((p = next.getAndIncrement()) < parts) {
                try {
                    body.accept(p);
                } catch (Throwable t) {
                    failure = t;
                }
                if (done.incrementAndGet() == parts) {
                    Thread w = waiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }
            }
        }
    }

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
            Job job = new Job(body, parts);
            current = job;
            for (Worker w : workers) {
                w.wake();
            }
            job.work();
            await(job);
            current = null;
            Throwable t = job.failure;
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

    /** Waits for the parts other threads claimed: spins briefly, then parks until the last one finishes. */
    private static void await(Job job) {
        long start = System.nanoTime();
        while (job.done.get() < job.parts) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                job.waiter = Thread.currentThread();
                if (job.done.get() < job.parts) {
                    LockSupport.parkNanos(job, 1_000_000L);
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
            Job last = null;
            long idleSince = System.nanoTime();
            while (!closed) {
                Job job = current;
                if (job != null && job != last) {
                    last = job;
                    job.work();
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    Job now = current;
                    if ((now == null || now == last) && !closed) {
                        LockSupport.parkNanos(this, 100_000_000L);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
