package dendrite.nn.data;

import java.util.Locale;

/**
 * On-the-fly augmentation of training images, drawn afresh for every batch: a random crop of the
 * image padded with zeros on every side (torchvision's {@code RandomCrop(size, padding)}), then a
 * horizontal flip with probability 1/2 ({@code RandomHorizontalFlip()}).
 *
 * <p>A crop of the padded image is the image shifted by up to {@code padding} pixels each way, its
 * vacated border zero, so this class only draws three numbers per image, the row shift, the column
 * shift and whether to mirror, and {@link dendrite.tensor.Backend#shiftImages} moves the pixels
 * where the batch already is (on an OpenCL device too). Drawing allocates nothing.
 *
 * <p>Deterministic: the moves of batch {@code b} in epoch {@code e} depend only on the seed,
 * {@code e}, {@code b} and the image's place in the batch, so the same seed gives the same run and a
 * run resumed from a checkpoint sees the batches an uninterrupted one would have.
 *
 * <pre>{@code
 * Trainer.builder(model).augmentation(ImageAugmentation.none().randomCrop(2).horizontalFlip())...
 * }</pre>
 * The text form, used by {@code dendrite train --augment}, is what {@link #toString} gives and
 * {@link #parse} reads: {@code "crop 2, flip"}, {@code "flip"}, {@code "none"}.
 */
public final class ImageAugmentation {
    /** Keeps the moves apart from the shuffle, which draws from the same seed and epoch. */
    private static final long SALT = 0x6A09E667F3BCC909L;

    private static final ImageAugmentation NONE = new ImageAugmentation(0, false);

    private final int padding;
    private final boolean flip;

    private ImageAugmentation(int padding, boolean flip) {
        this.padding = padding;
        this.flip = flip;
    }

    /**
     * No augmentation: images pass unchanged.
     *
     * @return the shared instance without crop or flip, the start of a chain such as {@code none().randomCrop(2)}
     */
    public static ImageAugmentation none() {
        return NONE;
    }

    /**
     * This augmentation, plus a random crop of the image padded by {@code padding} zeros on each side.
     *
     * @param padding the zeros added on each side, in pixels, {@code >= 0}; it replaces any earlier crop's, and
     *        0 turns the crop off
     * @return a new augmentation with this crop and this one's flip setting (this one is unchanged)
     * @throws IllegalArgumentException if {@code padding} is negative
     */
    public ImageAugmentation randomCrop(int padding) {
        if (padding < 0) {
            throw new IllegalArgumentException("augmentation: crop padding must be >= 0, got " + padding);
        }
        return new ImageAugmentation(padding, flip);
    }

    /**
     * This augmentation, plus a horizontal flip of half the images (chosen at random).
     *
     * @return a new augmentation with this one's crop and the flip (this one is unchanged)
     */
    public ImageAugmentation horizontalFlip() {
        return new ImageAugmentation(padding, true);
    }

    /**
     * The crop's padding: each image moves by up to this many pixels each way (0: no crop).
     *
     * @return the padding in pixels, {@code >= 0}
     */
    public int padding() {
        return padding;
    }

    /**
     * Whether half the images are mirrored left to right.
     *
     * @return {@code true} when the augmentation includes the horizontal flip
     */
    public boolean flips() {
        return flip;
    }

    /**
     * Whether images pass unchanged.
     *
     * @return {@code true} when there is neither a crop nor a flip
     */
    public boolean isNone() {
        return padding == 0 && !flip;
    }

    /**
     * Refuses images this augmentation cannot move: it needs samples of shape {@code [channels,
     * height, width]}, and a crop padding no larger than the image.
     *
     * @param sampleShape the model's input shape, without the batch
     * @throws IllegalArgumentException if the shape is not {@code [channels, height, width]} or the padding
     *                                  exceeds the height or width (never for {@link #none()})
     */
    public void checkFits(int[] sampleShape) {
        if (isNone()) {
            return;
        }
        if (sampleShape.length != 3) {
            throw new IllegalArgumentException("augmentation (" + this + "): moves images [channels, height, width], but"
                    + " the model takes samples of " + java.util.Arrays.toString(sampleShape)
                    + "; build the model on the images' shape (starting with a convolution, or with flatten before"
                    + " dense layers), and give flat data an image shape (the CLI's --image CxHxW)");
        }
        if (padding > Math.min(sampleShape[1], sampleShape[2])) {
            throw new IllegalArgumentException("augmentation (" + this + "): crop padding " + padding
                    + " exceeds the " + sampleShape[1] + "x" + sampleShape[2] + " image");
        }
    }

    /**
     * Draws the moves of {@code count} images of batch {@code batch} in epoch {@code epoch}: for image
     * i, {@code moves[3i]} and {@code moves[3i + 1]} the row and column shifts in
     * {@code [-padding, padding]}, {@code moves[3i + 2]} 1 to mirror it, else 0, as
     * {@link dendrite.tensor.Backend#shiftImages} takes them.
     *
     * @param seed the training run's seed
     * @param epoch the 0-based epoch
     * @param batch the 0-based batch within the epoch
     * @param count the number of images in the batch, {@code >= 0}
     * @param moves the array to fill, at least {@code 3 * count} long; entries past those are left as they are
     * @throws IllegalArgumentException if {@code moves} is too short
     */
    public void draw(long seed, int epoch, int batch, int count, int[] moves) {
        if (moves.length < 3L * count) {
            throw new IllegalArgumentException("augmentation: " + count + " images need " + 3L * count
                    + " moves, the array holds " + moves.length);
        }
        long key = MiniBatches.mix(MiniBatches.mix(seed ^ SALT, epoch), batch);
        int span = 2 * padding + 1;
        for (int i = 0; i < count; i++) {
            moves[3 * i] = padding == 0 ? 0 : below(MiniBatches.mix(key, 3L * i), span) - padding;
            moves[3 * i + 1] = padding == 0 ? 0 : below(MiniBatches.mix(key, 3L * i + 1), span) - padding;
            moves[3 * i + 2] = flip ? below(MiniBatches.mix(key, 3L * i + 2), 2) : 0;
        }
    }

    /** A whole number in {@code [0, bound)} from the top 32 random bits by multiply-shift (bias under {@code bound / 2^32}). */
    private static int below(long bits, int bound) {
        return (int) (((bits >>> 32) * bound) >>> 32);
    }

    /**
     * Reads the text form: {@code none}, or items separated by commas, each {@code crop P} (a random
     * crop with padding P) or {@code flip}, e.g. {@code "crop 2, flip"}.
     *
     * @param spec the text form, case-insensitive; empty or {@code none} for no augmentation. A later item
     *        of the same kind replaces an earlier one
     * @return the augmentation described (the shared {@link #none()} for {@code none})
     * @throws IllegalArgumentException naming the item that is not understood
     */
    public static ImageAugmentation parse(String spec) {
        String text = spec.trim().toLowerCase(Locale.ROOT);
        if (text.isEmpty() || text.equals("none")) {
            return none();
        }
        ImageAugmentation a = none();
        for (String item : text.split(",")) {
            String[] words = item.trim().split("\\s+");
            switch (words[0]) {
                case "crop" -> {
                    if (words.length != 2) {
                        throw new IllegalArgumentException("augmentation: '" + item.trim()
                                + "' needs the padding in pixels, e.g. 'crop 2'");
                    }
                    int p;
                    try {
                        p = Integer.parseInt(words[1]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("augmentation: '" + item.trim() + "': '" + words[1]
                                + "' is not a whole number of pixels");
                    }
                    a = a.randomCrop(p);
                }
                case "flip" -> {
                    if (words.length != 1) {
                        throw new IllegalArgumentException("augmentation: 'flip' takes nothing, got '" + item.trim() + "'");
                    }
                    a = a.horizontalFlip();
                }
                default -> throw new IllegalArgumentException("augmentation: '" + item.trim()
                        + "' is not one of: crop P, flip, none (e.g. 'crop 2, flip')");
            }
        }
        return a;
    }

    /** The text form {@link #parse} reads back. */
    @Override
    public String toString() {
        if (isNone()) {
            return "none";
        }
        String crop = padding > 0 ? "crop " + padding : "";
        String mirror = flip ? "flip" : "";
        return crop.isEmpty() ? mirror : mirror.isEmpty() ? crop : crop + ", " + mirror;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageAugmentation a && a.padding == padding && a.flip == flip;
    }

    @Override
    public int hashCode() {
        return 31 * padding + (flip ? 1 : 0);
    }
}
