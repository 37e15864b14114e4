package dendrite.cli;

import java.util.Locale;
import java.util.Optional;

/**
 * How a preset model is trained when the command line leaves the training options out, as a model
 * zoo ships each network with the recipe it was tuned with. Each setting applies only where its
 * option is not given; the learning rate and weight decay only with the recipe's optimizer (they were
 * tuned for it), so {@code --model cnn --optimizer sgd} gets sgd's usual rate.
 *
 * <p>The CNN presets' recipe (AdamW with a decoupled weight decay of 0.05, batch 64, a one-pixel
 * random crop) was the best of some thirty recipes tried on Fashion-MNIST; benchmarks/README.md lists
 * them, with the validation and test accuracy of each and the recipe's spread over seeds.
 *
 * @param model the preset's name, for the "training:" line
 * @param optimizer the optimizer's name, as {@code --optimizer} takes it
 * @param learningRate the peak learning rate (the cosine schedule decays it)
 * @param weightDecay the weight decay (decoupled for adamw)
 * @param batch the mini-batch size
 * @param augment the augmentation, as {@code --augment} takes it
 */
record PresetRecipe(String model, String optimizer, double learningRate, double weightDecay, int batch, String augment) {

    /** The recipe of the preset {@code model} names, if it has one ({@code cnn} and {@code cnn-bn}). */
    static Optional<PresetRecipe> of(String model) {
        String name = model == null ? "" : model.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "cnn" -> Optional.of(new PresetRecipe(name, "adamw", 0.002, 0.05, 64, "crop 1"));
            case "cnn-bn" -> Optional.of(new PresetRecipe(name, "adamw", 0.003, 0.05, 64, "crop 1"));
            default -> Optional.empty();
        };
    }
}
