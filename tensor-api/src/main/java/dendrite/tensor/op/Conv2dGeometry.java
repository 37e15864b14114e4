package dendrite.tensor.op;

/**
 * Everything a 2-D convolution or pooling window needs to know about its shapes, in NCHW layout:
 * a batch of {@code batch} images of {@code channels} x {@code height} x {@code width}, a
 * {@code kernelH} x {@code kernelW} window moved by {@code strideH}/{@code strideW}, with
 * {@code padH}/{@code padW} zeros (or, for max pooling, nothing) added on every side and the window's
 * taps {@code dilationH}/{@code dilationW} apart. For a convolution, {@code outChannels} filters in
 * {@code groups} groups (each sees {@code channels / groups} input channels); pooling has
 * {@code outChannels == channels} and one group per channel.
 *
 * <p>Output size, as PyTorch computes it:
 * {@code outH = (height + 2 padH - dilationH (kernelH - 1) - 1) / strideH + 1}, likewise outW.
 *
 * <p>Column layout ({@code im2col}): for each image and group, a matrix of
 * {@code (channels / groups) * kernelH * kernelW} rows (channel-major, then kernel row, then kernel
 * column, the order of PyTorch's weight {@code [out, in / groups, kH, kW]}) by {@code outH * outW}
 * columns; a tap that falls in the padding reads 0.
 *
 * @param batch the number of images, at least 1
 * @param channels the input channels per image, at least 1, a multiple of {@code groups}
 * @param height the input image's rows, at least 1
 * @param width the input image's columns, at least 1
 * @param outChannels the output channels (filters), at least 1, a multiple of {@code groups}; for pooling
 *        equal to {@code channels}
 * @param kernelH the window's rows, at least 1
 * @param kernelW the window's columns, at least 1
 * @param strideH how many rows the window moves between output rows, at least 1
 * @param strideW how many columns the window moves between output columns, at least 1
 * @param padH the rows of padding added above and below, at least 0
 * @param padW the columns of padding added left and right, at least 0
 * @param dilationH the distance in rows between the window's taps, at least 1 (1 for a dense window)
 * @param dilationW the distance in columns between the window's taps, at least 1 (1 for a dense window)
 * @param groups how many independent groups the channels are split into, at least 1; {@code channels}
 *        for a depthwise convolution or pooling
 */
public record Conv2dGeometry(int batch, int channels, int height, int width, int outChannels, int kernelH,
        int kernelW, int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {

    /** The most values a tensor holds (as {@link dendrite.tensor.Shape} allows). */
    private static final long MAX_TENSOR = Integer.MAX_VALUE - 8;

    /**
     * Checks that every size is positive (padding non-negative), the channels divide into the groups,
     * the window fits the padded image, and the input, weight and output each hold no more values than
     * a tensor can (so every size here fits an int).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public Conv2dGeometry {
        if (batch < 1 || channels < 1 || height < 1 || width < 1 || outChannels < 1) {
            throw new IllegalArgumentException("conv2d: batch " + batch + ", channels " + channels + ", image "
                    + height + "x" + width + " and " + outChannels + " output channels must all be at least 1");
        }
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("conv2d: kernel " + kernelH + "x" + kernelW + ", stride " + strideH + "x"
                    + strideW + " and dilation " + dilationH + "x" + dilationW + " must all be at least 1");
        }
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: padding " + padH + "x" + padW + " must not be negative");
        }
        if (groups < 1 || channels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("conv2d: " + groups + " groups must divide both the " + channels
                    + " input channels and the " + outChannels + " output channels");
        }
        long spanH = (long) dilationH * (kernelH - 1) + 1;
        long spanW = (long) dilationW * (kernelW - 1) + 1;
        if (spanH > height + 2L * padH || spanW > width + 2L * padW) {
            throw new IllegalArgumentException("conv2d: a " + kernelH + "x" + kernelW + " window (dilation " + dilationH
                    + "x" + dilationW + ") spans " + spanH + "x" + spanW + ", more than the " + height + "x" + width
                    + " image with padding " + padH + "x" + padW + " (" + (height + 2L * padH) + "x" + (width + 2L * padW)
                    + ")");
        }
        long outH = outSize(height, padH, dilationH, kernelH, strideH);
        long outW = outSize(width, padW, dilationW, kernelW, strideW);
        fitsATensor("input", batch, channels, height, width);
        fitsATensor("weight", outChannels, channels / groups, kernelH, kernelW);
        fitsATensor("output", batch, outChannels, outH, outW);
    }

    /** Refuses dimensions (each at least 1) of more values than a tensor holds, naming them; allocates nothing. */
    private static void fitsATensor(String role, long d0, long d1, long d2, long d3) {
        if (product(product(product(d0, d1), d2), d3) > MAX_TENSOR) {
            throw new IllegalArgumentException("conv2d: the " + role + " [" + d0 + ", " + d1 + ", " + d2 + ", " + d3
                    + "] holds more values than a tensor can (at most " + MAX_TENSOR + ")");
        }
    }

    /** {@code a * b} for positive factors, or just above the limit once it is passed (before a long overflows). */
    private static long product(long a, long b) {
        return b > MAX_TENSOR / a ? MAX_TENSOR + 1 : a * b;
    }

    /**
     * A convolution with the same stride, padding and dilation along both axes.
     *
     * @param batch the number of images
     * @param channels the input channels per image
     * @param height the input image's rows
     * @param width the input image's columns
     * @param outChannels the output channels (filters)
     * @param kernelH the window's rows
     * @param kernelW the window's columns
     * @param stride the step along both axes
     * @param pad the padding on every side
     * @param dilation the distance between taps along both axes
     * @param groups the number of channel groups
     * @return the geometry, checked as the canonical constructor checks it
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Conv2dGeometry conv(int batch, int channels, int height, int width, int outChannels, int kernelH,
            int kernelW, int stride, int pad, int dilation, int groups) {
        return new Conv2dGeometry(batch, channels, height, width, outChannels, kernelH, kernelW, stride, stride, pad,
                pad, dilation, dilation, groups);
    }

    /**
     * A pooling window over each channel on its own.
     *
     * @param batch the number of images
     * @param channels the channels per image, kept apart (output channels and groups are the same)
     * @param height the input image's rows
     * @param width the input image's columns
     * @param kernelH the window's rows
     * @param kernelW the window's columns
     * @param strideH the step between output rows
     * @param strideW the step between output columns
     * @param padH the padding above and below; {@link dendrite.tensor.Backend#pool2d} accepts at most
     *        {@code kernelH / 2}
     * @param padW the padding left and right; {@link dendrite.tensor.Backend#pool2d} accepts at most
     *        {@code kernelW / 2}
     * @return the geometry, with dilation 1 and one group per channel
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Conv2dGeometry pool(int batch, int channels, int height, int width, int kernelH, int kernelW,
            int strideH, int strideW, int padH, int padW) {
        return new Conv2dGeometry(batch, channels, height, width, channels, kernelH, kernelW, strideH, strideW, padH,
                padW, 1, 1, channels);
    }

    /**
     * Output rows.
     *
     * @return {@code (height + 2 padH - dilationH (kernelH - 1) - 1) / strideH + 1}, at least 1
     */
    public int outH() {
        return (int) outSize(height, padH, dilationH, kernelH, strideH);
    }

    /**
     * Output columns.
     *
     * @return {@code (width + 2 padW - dilationW (kernelW - 1) - 1) / strideW + 1}, at least 1
     */
    public int outW() {
        return (int) outSize(width, padW, dilationW, kernelW, strideW);
    }

    /**
     * The output size along one axis, in long: the padded size can pass an int (2 * pad, say) even
     * when the result, which the constructor checked, fits one.
     */
    private static long outSize(int size, int pad, int dilation, int kernel, int stride) {
        return (size + 2L * pad - (long) dilation * (kernel - 1) - 1) / stride + 1;
    }

    /**
     * Input channels each group sees.
     *
     * @return {@code channels / groups}, the second dimension of the weight tensor
     */
    public int groupChannels() {
        return channels / groups;
    }

    /**
     * Output channels each group makes.
     *
     * @return {@code outChannels / groups}
     */
    public int groupOutChannels() {
        return outChannels / groups;
    }

    /**
     * Rows of one group's column matrix: {@code groupChannels * kernelH * kernelW}.
     *
     * @return the number of values in one filter
     */
    public int patchSize() {
        return groupChannels() * kernelH * kernelW;
    }

    /**
     * Values of one input image: {@code channels * height * width}.
     *
     * @return the distance in elements between consecutive images of the input
     */
    public int imageSize() {
        return channels * height * width;
    }

    /**
     * Values of one output image: {@code outChannels * outH * outW}.
     *
     * @return the distance in elements between consecutive images of the output
     */
    public int outImageSize() {
        return outChannels * outH() * outW();
    }

    /**
     * The same geometry for {@code n} images.
     *
     * @param n the new batch size, at least 1 (a last, smaller mini-batch, say)
     * @return a new geometry that differs from this one only in {@code batch}
     * @throws IllegalArgumentException if {@code n} is less than 1
     */
    public Conv2dGeometry withBatch(int n) {
        return new Conv2dGeometry(n, channels, height, width, outChannels, kernelH, kernelW, strideH, strideW, padH,
                padW, dilationH, dilationW, groups);
    }
}
