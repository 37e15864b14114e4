package dendrite.cli;

import dendrite.nn.data.Dataset;
import dendrite.nn.data.Scaler;
import java.util.Locale;

/** The {@code --scale} choice: how features are scaled, fitted on the training part only. */
enum Scaling {
    STANDARD("standard"), MIN_MAX("min-max"), NONE("no");

    private final String label;

    Scaling(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /**
     * {@code auto} leaves the image sets alone: their loaders already give pixels in [0, 1], and
     * per-pixel standardization would blow up the rare ink in a border pixel that is almost always
     * blank. Tabular and synthetic data are standardized.
     */
    static Scaling parse(String value, DataSource source) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (source.kind() == DataSource.Kind.TEXT && !v.equals("auto") && !v.equals("none")) {
            throw new BadInputException("--scale " + value + ": a text's samples are character ids, which are not scaled");
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> switch (source.kind()) {
                case DIGITS, FASHION_MNIST, MNIST, CIFAR10, IMAGES -> NONE;
                case CSV, SYNTHETIC, SERIES -> STANDARD;
                case TEXT -> NONE;             // token ids: an embedding looks them up, they must stay whole
            };
            case "standard" -> STANDARD;
            case "minmax", "min-max" -> MIN_MAX;
            case "none" -> NONE;
            default -> throw new BadInputException("unknown --scale '" + value + "'; known: auto, standard, minmax, none");
        };
    }

    /** The scaler fitted on {@code train}, or null for {@link #NONE}. */
    Scaler fit(Dataset train) {
        return switch (this) {
            case STANDARD -> Scaler.standardize(train);
            case MIN_MAX -> Scaler.minMax(train);
            case NONE -> null;
        };
    }
}
