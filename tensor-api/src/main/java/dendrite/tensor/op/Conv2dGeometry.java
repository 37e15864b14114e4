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
 */
public record Conv2dGeometry(int batch, int channels, int height, int width, int outChannels, int kernelH,
        int kernelW, int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {

    /**
     * Checks that every size is positive (padding non-negative), the channels divide into the groups
     * and the window fits the padded image.
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
    }

    /** A convolution with the same stride, padding and dilation along both axes. */
    public static Conv2dGeometry conv(int batch, int channels, int height, int width, int outChannels, int kernelH,
            int kernelW, int stride, int pad, int dilation, int groups) {
        return new Conv2dGeometry(batch, channels, height, width, outChannels, kernelH, kernelW, stride, stride, pad,
                pad, dilation, dilation, groups);
    }

    /** A pooling window over each channel on its own. */
    public static Conv2dGeometry pool(int batch, int channels, int height, int width, int kernelH, int kernelW,
            int strideH, int strideW, int padH, int padW) {
        return new Conv2dGeometry(batch, channels, height, width, channels, kernelH, kernelW, strideH, strideW, padH,
                padW, 1, 1, channels);
    }

    /** Output rows. */
    public int outH() {
        return (height + 2 * padH - dilationH * (kernelH - 1) - 1) / strideH + 1;
    }

    /** Output columns. */
    public int outW() {
        return (width + 2 * padW - dilationW * (kernelW - 1) - 1) / strideW + 1;
    }

    /** Input channels each group sees. */
    public int groupChannels() {
        return channels / groups;
    }

    /** Output channels each group makes. */
    public int groupOutChannels() {
        return outChannels / groups;
    }

    /** Rows of one group's column matrix: {@code groupChannels * kernelH * kernelW}. */
    public int patchSize() {
        return groupChannels() * kernelH * kernelW;
    }

    /** Values of one input image: {@code channels * height * width}. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Values of one output image: {@code outChannels * outH * outW}. */
    public int outImageSize() {
        return outChannels * outH() * outW();
    }

    /** The same geometry for {@code n} images. */
    public Conv2dGeometry withBatch(int n) {
        return new Conv2dGeometry(n, channels, height, width, outChannels, kernelH, kernelW, strideH, strideW, padH,
                padW, dilationH, dilationW, groups);
    }
}
