package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.optim.Adadelta;
import dendrite.nn.optim.Adamax;
import dendrite.nn.optim.NAdam;
import dendrite.nn.optim.Optimizer;
import dendrite.nn.optim.RAdam;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --optimizer nadam}, {@code radam}, {@code adamax} and {@code adadelta}: PyTorch's
 * {@code torch.optim.NAdam}, {@code RAdam}, {@code Adamax} and {@code Adadelta} with its defaults, each at
 * its usual rate unless {@code --lr} is given, training end to end.
 */
class OptimizerChoicesTest {
    private static final Pattern ACCURACY = Pattern.compile("(?m)^test accuracy: (\\d\\.\\d{4})$");

    @TempDir
    Path dir;

    /** Two moons, 15 epochs, with the optimizer's rate for synthetic sets: it is named, with that rate, and learns. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"nadam, 0.01", "radam, 0.01", "adamax, 0.01", "adadelta, 1"})
    void trainTakesTheOptimizerAndItsDefaultRate(String name, String rate) {
        Cli r = Cli.run("train", "--backend", "scalar", "--dataset", "moons", "--epochs", "15", "--hidden", "16,16",
                "--optimizer", name.toUpperCase(java.util.Locale.ROOT), "--out", dir.resolve(name).toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("training: " + name + " lr " + rate + " (cosine)"), r::toString);
        Matcher m = ACCURACY.matcher(r.out());
        assertTrue(m.find(), r::toString);
        assertTrue(Double.parseDouble(m.group(1)) >= 0.85, "two moons with little noise are easy: " + r);
    }

    /** The classes and their rates: PyTorch's default, 1e-2 on synthetic sets; Adadelta's factor 1 everywhere. */
    @Test
    void eachNameMakesItsOptimizerAtItsUsualRate() {
        assertEquals(0.002, ModelOptions.defaultLearningRate("nadam", false));
        assertEquals(0.001, ModelOptions.defaultLearningRate("radam", false));
        assertEquals(0.002, ModelOptions.defaultLearningRate("adamax", false));
        assertEquals(1.0, ModelOptions.defaultLearningRate("adadelta", false));
        assertEquals(0.01, ModelOptions.defaultLearningRate("nadam", true));
        assertEquals(1.0, ModelOptions.defaultLearningRate("adadelta", true));
        Optimizer nadam = ModelOptions.optimizer("nadam", 0.002, 0.01);
        assertTrue(nadam instanceof NAdam, nadam.toString());
        assertEquals(0.01f, nadam.weightDecay(), "weight decay, L2 as in PyTorch");
        assertTrue(ModelOptions.optimizer("radam", 0.001, 0) instanceof RAdam);
        assertTrue(ModelOptions.optimizer("adamax", 0.002, 0) instanceof Adamax);
        Optimizer adadelta = ModelOptions.optimizer("adadelta", 1.0, 0);
        assertTrue(adadelta instanceof Adadelta, adadelta.toString());
        assertEquals(0f, adadelta.weightDecay());
    }

    /** An unknown name lists the new ones, and {@code train --help} names them. */
    @Test
    void theNamesAreListed() {
        Cli bad = Cli.run("train", "--optimizer", "lbfgs", "--out", dir.resolve("bad").toString());
        assertNotEquals(0, bad.code(), bad::toString);
        assertTrue(bad.err().contains("unknown optimizer 'lbfgs'; known: sgd, momentum, adam, adamw, rmsprop, adagrad,"
                + " nadam, radam, adamax, adadelta"), bad::toString);
        Cli help = Cli.run("train", "--help");
        assertTrue(help.out().replaceAll("\\s+", " ").contains("adagrad, nadam, radam, adamax, adadelta"), help::toString);
    }
}
