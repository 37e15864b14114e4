package dendrite.cli;

import dendrite.nn.data.DataSplit;
import dendrite.nn.data.Dataset;

/**
 * A 64-bit fingerprint of a split dataset (every value of every part, in order), kept in the model
 * file so that {@code eval} can tell when the data it re-reads and re-splits is not the data the
 * model was trained on (a CSV edited since), and its "test part" is not the part training held out.
 * A fast mixing hash, not a cryptographic one: it detects accidents, not forgeries.
 */
final class DataFingerprint {
    private DataFingerprint() {
    }

    static String of(DataSplit split) {
        long h = 0x9E3779B97F4A7C15L;
        for (Dataset d : new Dataset[] {split.train(), split.validation(), split.test()}) {
            h = mix(h, d.size());
            for (float v : d.features()) {
                h = mix(h, Float.floatToIntBits(v));
            }
            for (float v : d.targets()) {
                h = mix(h, Float.floatToIntBits(v));
            }
        }
        return String.format("%016x", h);
    }

    private static long mix(long h, long v) {
        h ^= v;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }
}
