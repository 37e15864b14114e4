package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

/**
 * Per-channel values {@code [C]} as a column {@code [m * C, 1]}: one value for each (image, channel)
 * row of a batch of images seen as {@code [m * C, H * W]}, the channel of row r being {@code r % C}.
 * A broadcast binary op then applies the values to every pixel of their channel (a bias, a batch
 * norm's statistics). The column is gathered on the backend into one buffer, reused: each column is
 * valid until the next {@link #of}, and a steady step makes no new tensor or view.
 */
final class ChannelColumns {
    private final Backend be;
    private final int channels;
    private final BatchBuffer column;
    /** Views {@code [C, 1]} of the tensors given so far, by identity, so alternating sources make none anew. */
    private final Tensor[] sources = new Tensor[8];
    private final Tensor[] views = new Tensor[8];
    private int nextSlot;
    private int[] channelOfRow = new int[0];

    ChannelColumns(Backend backend, int channels) {
        this.be = backend;
        this.channels = channels;
        this.column = new BatchBuffer(backend, Shape.of(1));
    }

    /** {@code values [C]} repeated for {@code m} images as {@code [m * C, 1]}; valid until the next call. */
    Tensor of(Tensor values, int m) {
        Tensor col = column.get(m * channels);
        be.gatherRows(view(values), channelOfRow(m), 0, col);
        return col;
    }

    private Tensor view(Tensor values) {
        for (int i = 0; i < sources.length; i++) {
            if (sources[i] == values && views[i].isAlive()) {
                return views[i];
            }
        }
        int slot = nextSlot;
        nextSlot = (nextSlot + 1) % sources.length;
        sources[slot] = values;
        views[slot] = values.reshape(channels, 1);
        return views[slot];
    }

    /** {@code [0, 1, ..., C - 1]} repeated for (at least) {@code m} images: the channel of each row. */
    private int[] channelOfRow(int m) {
        if (channelOfRow.length < m * channels) {
            channelOfRow = new int[m * channels];
            for (int i = 0; i < channelOfRow.length; i++) {
                channelOfRow[i] = i % channels;
            }
        }
        return channelOfRow;
    }
}
