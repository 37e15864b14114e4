package dendrite.tensor.conformance;

import dendrite.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Tensor dimensions for the properties: mostly sizes just around SIMD lane counts and tile edges
 * (a kernel's main loop, its tail, and the case with no main loop at all), sometimes any size.
 */
final class Sizes {
    /** Around 4-, 8- and 16-lane vectors and 32/64/128 tiles. */
    static final int[] BOUNDARIES = {1, 3, 7, 8, 15, 16, 17, 31, 33, 63, 65, 127, 129};
    /** Larger sizes that exercise blocking and several tiles. */
    static final int[] HUNDREDS = {200, 255, 257, 300};

    private Sizes() {
    }

    /** A dimension in [1, max], three times in four one of the boundary sizes. */
    static Arbitrary<Integer> upTo(int max) {
        List<Integer> special = new ArrayList<>();
        for (int d : BOUNDARIES) {
            if (d <= max) {
                special.add(d);
            }
        }
        for (int d : HUNDREDS) {
            if (d <= max) {
                special.add(d);
            }
        }
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(special)),
                Tuple.of(1, Arbitraries.integers().between(1, max)));
    }

    /**
     * Shapes of rank 0 to 3 with at most about 40,000 elements: a scalar, a vector of up to 1,000, a
     * matrix of up to 129 x 300, or a [17, 33, 129]-bounded rank-3 block.
     */
    static Arbitrary<Shape> shapes() {
        Arbitrary<Shape> scalar = Arbitraries.just(Shape.scalar());
        Arbitrary<Shape> vector = Arbitraries.frequencyOf(
                Tuple.of(3, upTo(300)), Tuple.of(1, Arbitraries.of(511, 513, 1000))).map(Shape::of);
        Arbitrary<Shape> matrix = Combinators.combine(upTo(129), upTo(300)).as(Shape::of);
        Arbitrary<Shape> rank3 = Combinators.combine(upTo(17), upTo(33), upTo(129)).as(Shape::of);
        return Arbitraries.frequencyOf(Tuple.of(1, scalar), Tuple.of(3, vector), Tuple.of(5, matrix), Tuple.of(3, rank3));
    }
}
