package dendrite.spark;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;

/**
 * Sums an array across N processes (ranks) over TCP, each rank talking only to its two neighbours
 * on a ring: rank r sends to r + 1 and receives from r - 1.
 *
 * <p>The array is cut into N chunks. In the first N - 1 rounds (reduce-scatter) every rank sends one
 * chunk on and adds the chunk it receives into its own copy, so that afterwards rank r holds the full
 * sum of chunk r + 1. In the next N - 1 rounds (all-gather) the finished chunks travel once more round
 * the ring, overwriting the partial ones. Each rank sends and receives 2 (N - 1) / N of the array in
 * all, whatever N is: that is why the ring is what Horovod and PyTorch's DDP use for large gradients.
 *
 * <p>Chunk c is summed in the same order on every call (starting at rank c, going round the ring), so
 * the result is the same bits on every rank and on every run with the same ranks: replicas that apply
 * the same optimizer step to the same summed gradient stay identical.
 *
 * <p>A peer that dies closes its sockets, and the neighbours' next read or write fails; a peer that
 * stalls is given up after the timeout. Either way {@link #sum} throws, so a task waiting for a lost
 * peer fails (and Spark can retry the stage) instead of hanging.
 */
public final class RingAllReduce implements AutoCloseable {
    private static final int HELLO = 0x44524e47;            // "DRNG": the first int each side sends

    private final int rank;
    private final int size;
    private final Duration timeout;
    private final SocketChannel toNext;
    private final SocketChannel fromPrevious;
    private final Selector selector;
    private final SelectionKey nextKey;
    private final SelectionKey previousKey;
    private ByteBuffer sendBuffer = ByteBuffer.allocateDirect(0);
    private ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(0);

    /**
     * Sending and receiving go on at once from one thread, through non-blocking channels: with
     * blocking writes every rank would send its chunk before reading, and chunks larger than the
     * sockets' buffers would deadlock the ring; a second thread for sending cost a thread hand-over
     * per chunk, which on few cores was most of the exchange's time.
     */
    private RingAllReduce(int rank, int size, Duration timeout, SocketChannel toNext, SocketChannel fromPrevious)
            throws IOException {
        this.rank = rank;
        this.size = size;
        this.timeout = timeout;
        this.toNext = toNext;
        this.fromPrevious = fromPrevious;
        if (size == 1) {
            this.selector = null;
            this.nextKey = null;
            this.previousKey = null;
        } else {
            this.selector = Selector.open();
            toNext.configureBlocking(false);
            fromPrevious.configureBlocking(false);
            this.nextKey = toNext.register(selector, 0);
            this.previousKey = fromPrevious.register(selector, 0);
        }
    }

    /**
     * A server socket for this rank's previous neighbour to connect to, on an ephemeral port of
     * {@code host}. Open it before the addresses are exchanged, so that every address published is
     * already listening.
     *
     * @param host the address to listen on, or null for every interface of this machine
     * @return the listening socket; its local address is what to publish
     * @throws IOException if no socket can be opened
     */
    public static ServerSocket listen(java.net.InetAddress host) throws IOException {
        ServerSocket server = ServerSocketChannel.open().socket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(host, 0), 4);
        return server;
    }

    /**
     * Joins the ring: connects to rank {@code rank + 1}'s address and accepts rank {@code rank - 1}
     * on {@code own}, which is closed afterwards.
     *
     * @param rank      this process's place, in [0, addresses.size())
     * @param addresses every rank's published address, indexed by rank
     * @param own       this rank's listening socket, from {@link #listen}
     * @param timeout   how long to wait for a neighbour, when connecting and for each chunk
     * @return the connected ring
     * @throws IOException if a neighbour cannot be reached, or another process connects
     */
    public static RingAllReduce join(int rank, List<InetSocketAddress> addresses, ServerSocket own, Duration timeout)
            throws IOException {
        int size = addresses.size();
        try (own) {
            if (size < 1 || rank < 0 || rank >= size) {
                throw new IllegalArgumentException("ring all-reduce: rank " + rank + " of " + size + " ranks");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("ring all-reduce: the timeout must be positive, got " + timeout);
            }
            if (size == 1) {
                return new RingAllReduce(0, 1, timeout, null, null);
            }
            if (own.getChannel() == null) {
                throw new IllegalArgumentException("ring all-reduce: the server socket must come from RingAllReduce.listen");
            }
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            SocketChannel next = connect(addresses.get((rank + 1) % size), millis, rank);
            Socket previous = null;
            try {
                own.setSoTimeout(millis);
                previous = own.accept();
                previous.setSoTimeout(millis);
                previous.setTcpNoDelay(true);
                DataInputStream hello = new DataInputStream(previous.getInputStream());
                int magic = hello.readInt();
                int from = hello.readInt();
                int expected = (rank - 1 + size) % size;
                if (magic != HELLO || from != expected) {
                    throw new IOException("ring all-reduce: rank " + rank + " expected rank " + expected
                            + " to connect, but " + (magic != HELLO ? "another program" : "rank " + from) + " did");
                }
                return new RingAllReduce(rank, size, timeout, next, previous.getChannel());
            } catch (SocketTimeoutException e) {
                closeQuietly(next);
                closeQuietly(previous == null ? null : previous.getChannel());
                throw new IOException("ring all-reduce: rank " + rank + " of " + size + " waited " + timeout.toSeconds()
                        + " s for rank " + (rank - 1 + size) % size + " to connect", e);
            } catch (IOException | RuntimeException e) {
                closeQuietly(next);
                closeQuietly(previous == null ? null : previous.getChannel());
                throw e;
            }
        }
    }

    private static SocketChannel connect(InetSocketAddress address, int millis, int rank) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            Socket s = channel.socket();
            s.setTcpNoDelay(true);
            s.connect(address, millis);
            DataOutputStream hello = new DataOutputStream(s.getOutputStream());
            hello.writeInt(HELLO);
            hello.writeInt(rank);
            hello.flush();
            return channel;
        } catch (IOException e) {
            channel.close();
            throw new IOException("ring all-reduce: rank " + rank + " cannot connect to its next rank at " + address
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * This process's place on the ring.
     *
     * @return the rank, from 0
     */
    public int rank() {
        return rank;
    }

    /**
     * How many ranks the ring joins.
     *
     * @return the number of ranks
     */
    public int size() {
        return size;
    }

    /**
     * Replaces {@code data[0, length)} on every rank by its sum over all ranks. Every rank must call
     * with the same length.
     *
     * @param data   this rank's values; the sums on return
     * @param length how many leading values take part
     * @throws UncheckedIOException if a neighbour died, stalled past the timeout, or sent another length
     */
    public void sum(float[] data, int length) {
        if (length < 0 || length > data.length) {
            throw new IllegalArgumentException("ring all-reduce: length " + length + " of an array of " + data.length);
        }
        if (size == 1) {
            return;
        }
        int bytes = Integer.BYTES + (length / size + 1) * Float.BYTES;
        if (sendBuffer.capacity() < bytes) {
            sendBuffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
            receiveBuffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
        try {
            for (int round = 0; round < size - 1; round++) {          // reduce-scatter
                exchange(data, length, chunk(rank - round), chunk(rank - round - 1), true);
            }
            for (int round = 0; round < size - 1; round++) {          // all-gather
                exchange(data, length, chunk(rank + 1 - round), chunk(rank - round), false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(failure(e), e);
        }
    }

    private int chunk(int c) {
        return Math.floorMod(c, size);
    }

    private static int start(int chunk, int length, int size) {
        return (int) ((long) chunk * length / size);
    }

    /**
     * Sends chunk {@code send} on while receiving chunk {@code receive}, added or copied into data.
     * Each chunk travels as its length, then its floats, little-endian.
     */
    private void exchange(float[] data, int length, int send, int receive, boolean add) throws IOException {
        int s0 = start(send, length, size);
        int s1 = start(send + 1, length, size);
        sendBuffer.clear();
        sendBuffer.putInt(0, s1 - s0);
        sendBuffer.position(Integer.BYTES);
        sendBuffer.asFloatBuffer().put(data, s0, s1 - s0);
        sendBuffer.position(0).limit(Integer.BYTES + (s1 - s0) * Float.BYTES);
        int r0 = start(receive, length, size);
        int r1 = start(receive + 1, length, size);
        receiveBuffer.clear().limit(Integer.BYTES);
        boolean headerRead = false;
        long patience = timeout.toNanos();
        long lastProgress = System.nanoTime();
        while (sendBuffer.hasRemaining() || receiveBuffer.hasRemaining()) {
            long moved = 0;
            if (sendBuffer.hasRemaining()) {
                moved += toNext.write(sendBuffer);
            }
            if (receiveBuffer.hasRemaining()) {
                int got = fromPrevious.read(receiveBuffer);
                if (got < 0) {
                    throw new EOFException("rank " + (rank - 1 + size) % size + " closed its connection (the task died)");
                }
                moved += got;
            }
            if (!headerRead && !receiveBuffer.hasRemaining()) {
                headerRead = true;
                int count = receiveBuffer.getInt(0);
                if (count != r1 - r0) {
                    throw new IOException("rank " + (rank - 1 + size) % size + " sent a chunk of " + count
                            + " values where " + (r1 - r0) + " were expected: the ranks were called with different lengths");
                }
                receiveBuffer.limit(Integer.BYTES + count * Float.BYTES);
                continue;
            }
            long now = System.nanoTime();
            if (moved > 0) {
                lastProgress = now;
                continue;
            }
            long left = patience - (now - lastProgress);
            if (left <= 0) {
                throw new SocketTimeoutException("no progress for " + timeout.toSeconds() + " s");
            }
            nextKey.interestOps(sendBuffer.hasRemaining() ? SelectionKey.OP_WRITE : 0);
            previousKey.interestOps(receiveBuffer.hasRemaining() ? SelectionKey.OP_READ : 0);
            selector.select(Math.max(1, left / 1_000_000));
            selector.selectedKeys().clear();
        }
        receiveBuffer.position(Integer.BYTES);
        java.nio.FloatBuffer got = receiveBuffer.asFloatBuffer();
        int count = r1 - r0;
        if (add) {
            for (int i = 0; i < count; i++) {
                data[r0 + i] += got.get(i);
            }
        } else {
            got.get(0, data, r0, count);
        }
    }

    private String failure(IOException e) {
        String what = e instanceof SocketTimeoutException
                ? "heard nothing from its neighbours for " + timeout.toSeconds() + " s (a dead or stalled task)"
                : e.getMessage();
        return "ring all-reduce: rank " + rank + " of " + size + ": " + what;
    }

    /** Closes both connections; the neighbours' next exchange then fails. */
    @Override
    public void close() {
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
        closeQuietly(toNext);
        closeQuietly(fromPrevious);
    }

    private static void closeQuietly(SocketChannel s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is best effort: the peer sees the connection end either way
            }
        }
    }
}
