package dendrite.onnx;

import dendrite.nn.Sequential;
import dendrite.nn.data.Scaler;
import dendrite.nn.io.Preprocessing;
import dendrite.nn.io.SavedModel;
import dendrite.tensor.Shape;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a trained {@link Sequential} as an ONNX model (opset {@value #OPSET}), to run it where the JVM
 * is not: ONNX Runtime, TensorRT, a browser, or back in PyTorch's tools. The file holds the network
 * in inference mode (dropout left out, batch norm with its running statistics), its weights inside,
 * one float input {@code input} of shape {@code [batch, inputShape...]} and one output {@code output}.
 *
 * <pre>{@code
 * OnnxExport.save(model, Path.of("model.onnx"));          // atomic: the old file or the whole new one
 * }</pre>
 *
 * <p>The layers: every layer nn-core has. {@code Dense} (a fused activation too, and on sequences
 * {@code [time, features]}); {@code Conv2d}, {@code Conv1d} and {@code ConvTranspose2d} (stride, padding
 * including {@code "same"}, dilation, groups, output padding); max and average pooling in 2-D and 1-D,
 * global average pooling; {@code BatchNorm1d}/{@code 2d}, {@code LayerNorm}, {@code GroupNorm} (opset 17
 * has no GroupNormalization: InstanceNormalization over the groups); {@code Embedding} (Cast and Gather:
 * the input holds token ids as floats), {@code PositionEmbedding}; {@code Upsample2d} (Resize);
 * {@code Flatten}, {@code Reshape}, {@code Transpose}, {@code Dropout}/{@code Dropout2d} (nothing in
 * inference), {@code Rescaling}; every activation (GELU as the nodes {@code torch.onnx.export} writes
 * for it); {@code LSTM}, {@code GRU}, {@code SimpleRNN}, {@code Bidirectional} and {@code RecurrentStack}
 * as ONNX's LSTM, GRU and RNN operators (from a zero state); {@code MultiheadAttention} written out
 * (MatMul, Softmax, the causal mask as {@code -inf}); and {@code Graph}s of these (residual and
 * transformer blocks, gates, concatenations, named inputs, several outputs side by side), merges as
 * ONNX's Add, Mul and Concat. Node names follow {@code torch.onnx.export}'s ({@code /3/Conv},
 * {@code /3/enc/Gemm} in a graph); weights keep their state-dict names ({@code 3.weight},
 * {@code 3.enc.weight}). Refused, naming the layer: layers that skip padding steps ({@code mask_zero}),
 * stateful recurrent layers, and layers of an application's own.
 *
 * <p>Differences in the last bits: ONNX's {@code Softplus} has no threshold (PyTorch's and Dendrite's
 * return x above 20, where the two differ by less than {@code e^-20}); a runtime may fuse or reorder
 * operations (ONNX Runtime's tests here compare within 1e-5).
 */
public final class OnnxExport {
    /** The ONNX operator set the files declare (ONNX 1.12, PyTorch 1.13's newest; LayerNormalization's first). */
    public static final int OPSET = 17;

    /** The metadata key of the class names, in output order, as a JSON array of strings. */
    public static final String CLASS_NAMES_KEY = "dendrite.class_names";

    private OnnxExport() {
    }

    /**
     * Writes {@code model} as an ONNX file, atomically: a crash or an unsupported layer leaves the old file
     * (or none), never part of a new one.
     *
     * @param model a built model (its weights as they are now)
     * @param file  where to write it, conventionally {@code *.onnx}
     * @throws IllegalArgumentException if the model holds a layer ONNX export does not support; the message
     *                                  names the layer, and nothing is written
     * @throws IOException              if the file cannot be written; it is then unchanged
     */
    public static void save(Sequential model, Path file) throws IOException {
        writeAtomically(file, toBytes(model));
    }

    /**
     * Writes a model file's model with what prediction does around it, so that the ONNX model takes the raw
     * features {@link SavedModel#predict} takes and gives what it gives: the input scaler's
     * {@code (x - offset) * scale} as the first nodes, a regression's target scaler's {@code y / scale + offset}
     * as the last; the class names go in the model's metadata ({@code dendrite.class_names}, a JSON array).
     * Atomic as {@link #save(Sequential, Path)}.
     *
     * @param saved a model with its preprocessing, e.g. from {@link dendrite.nn.io.ModelFile#loadSaved}
     * @param file  where to write it
     * @throws IllegalArgumentException if the model holds a layer ONNX export does not support; nothing is written
     * @throws IOException              if the file cannot be written; it is then unchanged
     */
    public static void save(SavedModel saved, Path file) throws IOException {
        writeAtomically(file, toBytes(saved));
    }

    /**
     * The ONNX model as bytes, for a runtime that takes them (ONNX Runtime's {@code createSession(byte[])}).
     *
     * @param model a built model
     * @return the serialized {@code ModelProto}
     * @throws IllegalArgumentException if the model holds a layer ONNX export does not support, naming it
     */
    public static byte[] toBytes(Sequential model) {
        return write(model, Preprocessing.none());
    }

    /**
     * {@link #save(SavedModel, Path)}'s model as bytes.
     *
     * @param saved a model with its preprocessing
     * @return the serialized {@code ModelProto}
     * @throws IllegalArgumentException if the model holds a layer ONNX export does not support, naming it
     */
    public static byte[] toBytes(SavedModel saved) {
        return write(saved.model(), saved.preprocessing());
    }

    private static byte[] write(Sequential model, Preprocessing preprocessing) {
        OnnxGraphWriter g = new OnnxGraphWriter();
        String value = "input";
        Scaler inputScaler = preprocessing.inputScaler();
        if (inputScaler != null) {
            long[] dims = dims(model.inputShape());
            value = g.node("Sub", "/input_scaler/Sub", List.of(value,
                    g.floats("input_scaler.offset", dims, inputScaler.offsets())));
            value = g.node("Mul", "/input_scaler/Mul", List.of(value,
                    g.floats("input_scaler.scale", dims, inputScaler.scales())));
        }
        for (int i = 0; i < model.size(); i++) {
            Shape in = i == 0 ? model.inputShape() : model.outputShape(i - 1);
            LayerNodes layer = new LayerNodes(g, model.backend(), Integer.toString(i), model.layer(i), in,
                    model.outputShape(i));
            value = layer.emit(value);
        }
        Scaler targetScaler = preprocessing.targetScaler();
        if (targetScaler != null) {
            long[] dims = dims(model.outputShape());
            value = g.node("Div", "/target_scaler/Div", List.of(value,
                    g.floats("target_scaler.scale", dims, targetScaler.scales())));
            value = g.node("Add", "/target_scaler/Add", List.of(value,
                    g.floats("target_scaler.offset", dims, targetScaler.offsets())));
        }
        Map<String, String> metadata = preprocessing.classNames().isEmpty() ? Map.of()
                : Map.of(CLASS_NAMES_KEY, jsonArray(preprocessing.classNames()));
        String version = OnnxExport.class.getPackage().getImplementationVersion();
        return g.model("dendrite", "input", model.inputShape(), value, "output", model.outputShape(),
                version == null ? "development" : version, metadata);
    }

    /** A per-sample shape as ONNX dims. */
    static long[] dims(Shape s) {
        long[] d = new long[s.rank()];
        for (int i = 0; i < d.length; i++) {
            d[i] = s.dim(i);
        }
        return d;
    }

    /** The names as a JSON array of strings. */
    static String jsonArray(List<String> names) {
        StringBuilder sb = new StringBuilder("[");
        for (String n : names) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"');
            for (char c : n.toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
        return sb.append(']').toString();
    }

    /** The same steps as nn-core's model files: a temporary file beside the target, synced, then renamed over it. */
    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                out.write(bytes);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
