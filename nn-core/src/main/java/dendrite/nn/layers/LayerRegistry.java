package dendrite.nn.layers;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Makes layers from their {@link Layer#type()} and {@link Layer#config()}, so a model's architecture
 * can be stored as data (JSON in a model file) and rebuilt without code.
 *
 * <pre>{@code
 * Layer copy = LayerRegistry.create(layer.type(), layer.config());   // unbuilt, same hyperparameters
 * LayerRegistry.register("my_layer", cfg -> new MyLayer(Configs.intValue(cfg, "my_layer", "size")));
 * }</pre>
 * The built-in types: {@code dense, relu, leaky_relu, prelu, hardtanh, relu6, rescaling, sigmoid, tanh, gelu, silu, softplus, elu, selu,
 * mish, hardswish, softmax, log_softmax, dropout, batch_norm1d, flatten, reshape, transpose, conv1d, conv2d,
 * conv_transpose2d, dropout2d, batch_norm2d, max_pool1d, avg_pool1d, max_pool2d, avg_pool2d,
 * global_avg_pool2d, global_avg_pool1d, upsample2d, columns, embedding, position_embedding, rnn, lstm, gru,
 * bidirectional, recurrent_stack, layer_norm, group_norm, multihead_attention, graph}. A {@code gelu}
 * config's {@code approximate} ({@code "none"} or {@code "tanh"}) picks the form; a config without it is
 * the tanh form (see {@link GELU}).
 */
public final class LayerRegistry {
    private static final Map<String, Function<Map<String, ?>, Layer>> FACTORIES = new ConcurrentHashMap<>();

    static {
        register("dense", Dense::fromConfig);
        register("relu", c -> new ReLU());
        register("leaky_relu", c -> new LeakyReLU((float) Configs.doubleValue(c, "leaky_relu", "negative_slope", 0.01)));
        register("prelu", PReLU::fromConfig);
        register("rescaling", Rescaling::fromConfig);
        register("hardtanh", Hardtanh::fromConfig);
        register("relu6", c -> new ReLU6());
        register("sigmoid", c -> new Sigmoid());
        register("tanh", c -> new Tanh());
        register("gelu", GELU::fromConfig);
        register("silu", c -> new SiLU());
        register("softplus", c -> new Softplus());
        register("elu", c -> new ELU((float) Configs.doubleValue(c, "elu", "alpha", 1.0)));
        register("selu", c -> new SELU());
        register("mish", c -> new Mish());
        register("hardswish", c -> new Hardswish());
        register("softmax", c -> new Softmax());
        register("log_softmax", c -> new LogSoftmax());
        register("dropout", c -> new Dropout(Configs.doubleValue(c, "dropout", "p", 0.5)));
        register("batch_norm1d", c -> new BatchNorm1d(Configs.doubleValue(c, "batch_norm1d", "eps", 1e-5),
                Configs.doubleValue(c, "batch_norm1d", "momentum", 0.1)));
        register("flatten", c -> new Flatten());
        register("reshape", c -> new Reshape(Configs.intsValue(c, "reshape", "shape")));
        register("transpose", c -> new Transpose());
        register("columns", Columns::fromConfig);
        register("conv2d", Conv2d::fromConfig);
        register("conv_transpose2d", ConvTranspose2d::fromConfig);
        register("dropout2d", c -> new Dropout2d(Configs.doubleValue(c, "dropout2d", "p", 0.5)));
        register("batch_norm2d", c -> new BatchNorm2d(Configs.doubleValue(c, "batch_norm2d", "eps", 1e-5),
                Configs.doubleValue(c, "batch_norm2d", "momentum", 0.1)));
        register("max_pool2d", MaxPool2d::fromConfig);
        register("avg_pool2d", AvgPool2d::fromConfig);
        register("global_avg_pool2d", c -> new GlobalAvgPool2d());
        register("upsample2d", Upsample2d::fromConfig);
        register("conv1d", Conv1d::fromConfig);
        register("max_pool1d", MaxPool1d::fromConfig);
        register("avg_pool1d", AvgPool1d::fromConfig);
        register("embedding", Embedding::fromConfig);
        register("rnn", SimpleRNN::fromConfig);
        register("lstm", LSTM::fromConfig);
        register("gru", GRU::fromConfig);
        register("bidirectional", Bidirectional::fromConfig);
        register("recurrent_stack", RecurrentStack::fromConfig);
        register("graph", dendrite.nn.graph.Graph::fromConfig);
        register("position_embedding", PositionEmbedding::fromConfig);
        register("global_avg_pool1d", c -> new GlobalAvgPool1d());
        register("layer_norm", LayerNorm::fromConfig);
        register("group_norm", GroupNorm::fromConfig);
        register("multihead_attention", MultiheadAttention::fromConfig);
    }

    private LayerRegistry() {
    }

    /**
     * Adds (or replaces) the factory for {@code type}. Safe to call from any thread.
     *
     * @param type    the name {@link Layer#type()} returns for the layers the factory makes, e.g. {@code my_layer}
     * @param factory makes a new, unbuilt layer from a config map (never {@code null}, possibly empty); it
     *                should throw {@link IllegalArgumentException} for a config it cannot use
     */
    public static void register(String type, Function<Map<String, ?>, Layer> factory) {
        FACTORIES.put(type, factory);
    }

    /**
     * A new, unbuilt layer of {@code type} with {@code config}.
     *
     * @param type   the layer's registry name, e.g. {@code dense}
     * @param config its hyperparameters as {@link Layer#config()} gives them; {@code null} counts as empty
     * @return a new, unbuilt layer
     * @throws IllegalArgumentException for an unknown (or null) type, listing the known ones, or a config the
     *                                  factory refuses
     */
    public static Layer create(String type, Map<String, ?> config) {
        Function<Map<String, ?>, Layer> f = type == null ? null : FACTORIES.get(type);
        if (f == null) {
            throw new IllegalArgumentException("unknown layer type '" + type + "'; known types: " + types()
                    + " (register custom layers with LayerRegistry.register)");
        }
        return f.apply(config == null ? Map.of() : config);
    }

    /**
     * The registered type names, sorted.
     *
     * @return a new sorted set, a snapshot of the names registered now
     */
    public static Set<String> types() {
        return new TreeSet<>(FACTORIES.keySet());
    }
}
