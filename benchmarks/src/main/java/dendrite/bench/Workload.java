package dendrite.bench;

import dendrite.nn.Sequential;
import dendrite.tensor.Backend;
import java.util.Locale;

/** The network a training or inference benchmark runs: its {@code model} parameter, {@code mlp} or {@code cnn}. */
enum Workload {
    MLP {
        @Override
        Sequential build(Backend backend) {
            return Mlp.build(backend);
        }
    },
    CNN {
        @Override
        Sequential build(Backend backend) {
            return Cnn.build(backend);
        }
    };

    /** The seeded model on {@code backend}: the same weights on every backend. */
    abstract Sequential build(Backend backend);

    /** The workload a {@code model} parameter names. */
    static Workload named(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("benchmark parameter model=" + name + ": expected mlp or cnn");
        }
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
