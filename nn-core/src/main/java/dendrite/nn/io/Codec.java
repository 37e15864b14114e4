package dendrite.nn.io;

import java.nio.ByteBuffer;

/** Converts one element between a safetensors dtype (little-endian bytes) and a float. */
final class Codec {
    private Codec() {
    }

    /** Reads one element of type t at the buffer's position (little-endian) as a float. */
    static float decode(DType t, ByteBuffer b) {
        return switch (t) {
            case BOOL -> b.get() != 0 ? 1f : 0f;
            case U8 -> b.get() & 0xff;
            case I8 -> b.get();
            case I16 -> b.getShort();
            case F16 -> fromFloat16(b.getShort());
            // bfloat16 is the upper half of a float32's bits.
            case BF16 -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
            case I32 -> b.getInt();
            case F32 -> b.getFloat();
            case F64 -> (float) b.getDouble();
            case I64 -> b.getLong();
        };
    }

    /**
     * Writes one float as type t (little-endian). Integer types round to nearest and saturate at
     * their range; NaN becomes 0 for them, as there is no integer NaN.
     */
    static void encode(DType t, float v, ByteBuffer b) {
        switch (t) {
            case BOOL -> b.put((byte) (v != 0f ? 1 : 0));
            case U8 -> b.put((byte) Math.max(0, Math.min(255, Math.round(v))));
            case I8 -> b.put((byte) Math.max(Byte.MIN_VALUE, Math.min(Byte.MAX_VALUE, Math.round(v))));
            case I16 -> b.putShort((short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v))));
            case F16 -> b.putShort(toFloat16(v));
            case BF16 -> b.putShort(toBfloat16(v));
            case I32 -> b.putInt(Math.round(v));
            case F32 -> b.putFloat(v);
            case F64 -> b.putDouble(v);
            case I64 -> b.putLong(Math.round((double) v));
        }
    }

    /** Rounds a float to bfloat16, to nearest with ties to even, keeping NaN a NaN. */
    static short toBfloat16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x0040);   // set a mantissa bit so truncation cannot make it infinity
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /**
     * IEEE 754 binary16 to float, exactly (every half is a float). Java 20's
     * {@code Float.float16ToFloat} does the same; nn-core runs on Java 17, so it has its own.
     */
    static float fromFloat16(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {                       // infinity, or NaN with its payload kept
            return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
        }
        if (exponent == 0) {                          // zero or subnormal: mantissa * 2^-24, exact
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }

    /**
     * Float to IEEE 754 binary16, to nearest with ties to even, overflowing to infinity, keeping NaN
     * a NaN (Java 20's {@code Float.floatToFloat16} gives the same bits for every non-NaN float).
     */
    static short toFloat16(float v) {
        int bits = Float.floatToRawIntBits(v);
        int sign = (bits >>> 16) & 0x8000;
        int magnitude = bits & 0x7fffffff;
        if (magnitude > 0x7f800000) {                 // NaN: the payload's top bits, and a quiet bit
            return (short) (sign | 0x7e00 | (magnitude >>> 13) & 0x3ff);
        }
        if (magnitude >= 0x47800000) {                // 65536 or more (infinity included)
            return (short) (sign | 0x7c00);
        }
        if (magnitude < 0x38800000) {                 // below 2^-14: a subnormal half (or 2^-14)
            // |v| * 2^24 is exact; rint rounds half to even. 1024 is the smallest normal, 0x0400.
            return (short) (sign | (int) Math.rint(Float.intBitsToFloat(magnitude) * 0x1p24));
        }
        int half = ((magnitude >>> 23) - 112) << 10 | (magnitude >>> 13) & 0x3ff;
        int rest = magnitude & 0x1fff;
        if (rest > 0x1000 || rest == 0x1000 && (half & 1) != 0) {
            half++;                                   // a carry may go into the exponent, up to infinity
        }
        return (short) (sign | half);
    }
}
