package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.data.DataSplit;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The {@code --dataset} words and the splits they give. */
class DataSourceTest {

    @Test
    void parsesEachKind() {
        assertEquals(DataSource.Kind.DIGITS, DataSource.parse("digits").kind());
        assertEquals(DataSource.Kind.FASHION_MNIST, DataSource.parse("fashion-mnist").kind());
        assertEquals("/data/f", DataSource.parse("fashion-mnist:/data/f").argument());
        assertEquals(DataSource.Kind.MNIST, DataSource.parse("mnist:/data/mnist").kind());
        assertEquals("a:b.csv", DataSource.parse("csv:a:b.csv").argument(), "only the first ':' separates");
        assertEquals(DataSource.Kind.SYNTHETIC, DataSource.parse("Moons").kind());
        assertEquals("spirals-5", DataSource.parse("spirals:5").shortName());
        assertEquals("iris", DataSource.parse("csv:/tmp/iris.csv.gz").shortName());
    }

    @Test
    void refusesWhatItCannotLoad() {
        assertTrue(assertThrows(BadInputException.class, () -> DataSource.parse("cifar")).getMessage().contains("known:"));
        assertThrows(BadInputException.class, () -> DataSource.parse("mnist"));
        assertThrows(BadInputException.class, () -> DataSource.parse("csv:"));
        assertThrows(BadInputException.class, () -> DataSource.parse("digits:extra"));
        assertThrows(BadInputException.class, () -> DataSource.parse("moons:3"));
    }

    @Test
    void theSameSeedGivesTheSameSplitAndTheEmbeddedDigitsAreAllThere() throws IOException {
        DataSource digits = DataSource.parse("digits");
        DataSource.CsvColumns none = new DataSource.CsvColumns(null, null);
        DataSplit a = digits.load(none, 7, 0.1, 0.2);
        DataSplit b = digits.load(none, 7, 0.1, 0.2);
        assertEquals(1797, a.train().size() + a.validation().size() + a.test().size());
        assertEquals(Math.round(1797 * 0.2), a.test().size(), 10, "a fifth for the test part, to within one per class");
        assertEquals(java.util.Arrays.toString(a.test().targets()), java.util.Arrays.toString(b.test().targets()));
    }
}
