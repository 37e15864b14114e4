package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Scope;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.CounterRandom;
import dendrite.tensor.op.ReduceOp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adds to each step of a sequence a vector that says where it is, since attention by itself cannot
 * tell the order of its inputs: {@code y[t] = x[t] + P[t]} for samples {@code [time, dim]}.
 *
 * <ul>
 *   <li>{@link Kind#LEARNED}: P is a parameter {@code weight [maxLength, dim]} (as BERT's and GPT-2's
 *       position embeddings, and PyTorch's {@code nn.Embedding} over positions), starting from
 *       N(0, 1) scaled by 0.02 as GPT-2 starts it; its gradient for step t is the sum over the batch of
 *       dL/dy[t].</li>
 *   <li>{@link Kind#SINUSOIDAL}: P is fixed, {@code P[t, 2i] = sin(t / 10000^(2i/dim))} and
 *       {@code P[t, 2i+1] = cos(t / 10000^(2i/dim))} (Vaswani et al. 2017); no parameters, nothing
 *       saved, computed when the layer is built.</li>
 * </ul>
 * The sample's time length is fixed when the model is built and may be at most {@code maxLength}.
 * The input's gradient is the output's, unchanged.
 */
public final class PositionEmbedding implements Layer {
    /** Where the position vectors come from. */
    public enum Kind {
        /** A parameter, trained with the rest. */
        LEARNED,
        /** Fixed sines and cosines of geometrically spaced frequencies. */
        SINUSOIDAL
    }

    private final int maxLength;
    private final Kind kind;

    private Backend be;
    private Parameter weight;          // LEARNED: [maxLength, dim]
    private Tensor fixed;              // SINUSOIDAL: [time * dim]
    private Tensor used;               // the first `time` rows, flat: [time * dim]
    private Tensor usedGrad;
    private int time;
    private int dim;
    private BatchBuffer out;
    private final ViewCache inRows = new ViewCache();
    private final ViewCache outRows = new ViewCache();
    private final ViewCache gradRows = new ViewCache();

    /**
     * Position vectors for sequences of up to {@code maxLength} steps.
     *
     * @param maxLength the longest sequence the layer takes, at least 1
     * @param kind      learned or sinusoidal
     * @throws IllegalArgumentException if {@code maxLength} is below 1 or {@code kind} is null
     */
    public PositionEmbedding(int maxLength, Kind kind) {
        if (maxLength < 1 || kind == null) {
            throw new IllegalArgumentException("position_embedding: needs a maximum length of at least 1 and a kind,"
                    + " got " + maxLength + " and " + kind);
        }
        this.maxLength = maxLength;
        this.kind = kind;
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: {@code max_length} and {@code kind} ({@code learned} or {@code sinusoidal})
     * @return a new, unbuilt layer
     * @throws IllegalArgumentException if a key is missing or a value is out of range
     */
    public static PositionEmbedding fromConfig(Map<String, ?> c) {
        String k = Configs.stringValue(c, "position_embedding", "kind", "learned");
        Kind kind = switch (k) {
            case "learned" -> Kind.LEARNED;
            case "sinusoidal" -> Kind.SINUSOIDAL;
            default -> throw new IllegalArgumentException("position_embedding: kind '" + k
                    + "' is unknown; known: learned, sinusoidal");
        };
        return new PositionEmbedding(Configs.intValue(c, "position_embedding", "max_length"), kind);
    }

    @Override
    public String type() {
        return "position_embedding";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("max_length", maxLength);
        c.put("kind", kind == Kind.LEARNED ? "learned" : "sinusoidal");
        return c;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 2) {
            throw new LayerShapeException("[time, dim]", in, "put the position embedding after an embedding or a"
                    + " layer giving [time, features] samples");
        }
        if (in.dim(0) > maxLength) {
            throw new LayerShapeException("[at most " + maxLength + ", dim]", in, "make max_length at least "
                    + in.dim(0) + ", or cut the sequences shorter");
        }
        if (kind == Kind.SINUSOIDAL && in.dim(1) % 2 != 0) {
            throw new LayerShapeException("[time, an even dim]", in, "sinusoidal positions pair a sine and a cosine:"
                    + " give an even number of features");
        }
        return in;
    }

    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        return Optional.of(kind == Kind.LEARNED ? Map.of("weight", new int[] {maxLength, in.dim(1)}) : Map.of());
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        outputShape(inputShape);
        this.be = backend;
        this.time = inputShape.dim(0);
        this.dim = inputShape.dim(1);
        if (kind == Kind.LEARNED) {
            weight = new Parameter("weight", backend, Shape.of(maxLength, dim));
            backend.randomNormal(CounterRandom.bits(seed, 0), 0f, 0.02f, weight.value());
            backend.fill(weight.grad(), 0f);                       // rows past `time` never get a gradient
            used = Scope.unscoped(() -> weight.value().rows(0, time).reshape(time * dim));
            usedGrad = Scope.unscoped(() -> weight.grad().rows(0, time).reshape(time * dim));
        } else {
            fixed = Scope.unscoped(() -> backend.tensor(sinusoids(time, dim), time * dim));
            used = fixed;
        }
        out = new BatchBuffer(backend, inputShape);
    }

    /** Vaswani et al.'s table: even columns sines, odd ones cosines, frequencies from 1 down to 1/10000. */
    static float[] sinusoids(int time, int dim) {
        float[] p = new float[time * dim];
        for (int t = 0; t < time; t++) {
            for (int i = 0; i < dim; i += 2) {
                double angle = t / Math.pow(10000, i / (double) dim);
                p[t * dim + i] = (float) Math.sin(angle);
                p[t * dim + i + 1] = (float) Math.cos(angle);
            }
        }
        return p;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int m = x.dim(0);
        Tensor y = out.get(m);
        be.binary(BinaryOp.ADD, inRows.rows(x, m, time * dim), used, outRows.rows(y, m, time * dim));
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        if (kind == Kind.LEARNED) {
            be.reduce(ReduceOp.SUM, gradRows.rows(dOut, dOut.dim(0), time * dim), 0, usedGrad);
        }
        return dOut;                                               // d(x + P)/dx = 1
    }

    @Override
    public List<Parameter> parameters() {
        return weight == null ? List.of() : List.of(weight);
    }

    @Override
    public Optional<Layer> replicaForInference(Backend backend, Shape inputShape) {
        PositionEmbedding copy = new PositionEmbedding(maxLength, kind);
        copy.be = backend;
        copy.time = time;
        copy.dim = dim;
        copy.weight = weight;
        copy.fixed = fixed;
        copy.used = used;
        copy.usedGrad = usedGrad;
        copy.out = new BatchBuffer(backend, inputShape);
        return Optional.of(copy);
    }

    @Override
    public String toString() {
        return "PositionEmbedding(" + maxLength + ", " + kind.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
