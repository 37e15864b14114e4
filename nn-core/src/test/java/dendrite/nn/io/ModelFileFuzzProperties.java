package dendrite.nn.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dendrite.nn.Sequential;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Issue 8's parser promise one level up: a model file with damaged bytes (the architecture JSON
 * in its metadata included) either loads or is refused with {@link ModelFormatException};
 * whatever a mangled architecture makes the model builder throw is reported as the file's problem.
 */
class ModelFileFuzzProperties {
    private static final Backend BE = Backends.get("scalar");
    private static final byte[] VALID = validFile();

    private static byte[] validFile() {
        Sequential m = Sequential.builder(3).dense(4).batchNorm().relu().dropout(0.25).dense(2).softmax().build(BE, 1);
        return SafeTensors.toBytes(ModelFile.entries(m.stateDict(), ""), ModelFile.metadata(m, ModelFile.KIND_MODEL));
    }

    @Property(tries = 500)
    void aModelFileWithFlippedHeaderBytesLoadsOrIsRefusedWithTheDocumentedException(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] b = VALID.clone();
        int headerLength = (int) ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            int at = 8 + r.nextInt(headerLength);
            // Mostly printable replacements, so the JSON often stays valid and the damage reaches the builder.
            b[at] = r.nextBoolean() ? (byte) (0x20 + r.nextInt(0x5f)) : (byte) (b[at] ^ (1 << r.nextInt(8)));
        }
        try {
            ModelFile.load(SafeTensors.read(b, "fuzz.safetensors"), BE);
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage().startsWith("fuzz.safetensors: "), e.getMessage());
        } catch (Throwable other) {
            fail("damaged model file made load throw " + other, other);
        }
    }
}
