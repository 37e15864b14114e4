package dendrite.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.op.Activation;
import dendrite.tensor.Backend;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.UnaryOp;
import dendrite.tensor.op.CounterRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conventions every kernel follows (see {@link Backend}): wrong shapes throw
 * {@link IllegalArgumentException} naming the op and the shapes, a closed tensor throws
 * {@link IllegalStateException}, a tensor of another backend is rejected, and kernels read and
 * write views ({@link Tensor#rows}, {@link Tensor#reshape}) at their place in the storage.
 */
public abstract class ContractTests extends ConformanceBase {

    /**
     * A call that must throw, labelled for the report; for a shape mismatch also the op name its
     * message must start with ({@code "matmul: "}: the front words every backend's messages, so
     * there is one right answer) and the shapes it must name.
     */
    record BadCall(String label, String opName, List<String> shapes, Consumer<Backend> call) {
        static BadCall mismatch(String label, String opName, String shapeA, String shapeB, Consumer<Backend> call) {
            return new BadCall(label, opName, List.of(shapeA, shapeB), call);
        }

        static BadCall onClosed(String label, Consumer<Backend> call) {
            return new BadCall(label, null, List.of(), call);
        }

        static BadCall missing(String label, String opName, Consumer<Backend> call) {
            return new BadCall(label, opName, List.of(), call);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static List<BadCall> shapeMismatches() {
        List<BadCall> cases = new ArrayList<>();
        cases.add(new BadCall("gemm inner dimensions", "matmul", List.of("[2, 3]", "[4, 5]"),
                be -> be.gemm(false, false, 1f, be.zeros(2, 3), be.zeros(4, 5), 0f, be.zeros(2, 5))));
        cases.add(new BadCall("gemm output", "matmul", List.of("[2, 3]", "[3, 5]", "[5, 2]"),
                be -> be.gemm(false, false, 1f, be.zeros(2, 3), be.zeros(3, 5), 0f, be.zeros(5, 2))));
        cases.add(new BadCall("gemm transposed inner dimensions", "matmul", List.of("[3, 2]", "[3, 4]"),
                be -> be.gemm(false, true, 1f, be.zeros(3, 2), be.zeros(3, 4), 0f, be.zeros(3, 3))));
        cases.add(new BadCall("batchedGemm inner dimensions", "batchedGemm", List.of("[2, 2, 3]", "[2, 4, 5]"),
                be -> be.batchedGemm(false, false, 1f, be.zeros(2, 2, 3), be.zeros(2, 4, 5), 0f, be.zeros(2, 2, 5))));
        cases.add(new BadCall("batchedGemm batches", "batchedGemm", List.of("[2, 2, 3]", "[3, 3, 5]"),
                be -> be.batchedGemm(false, false, 1f, be.zeros(2, 2, 3), be.zeros(3, 3, 5), 0f, be.zeros(2, 2, 5))));
        cases.add(new BadCall("batchedGemm output", "batchedGemm", List.of("[2, 3, 2]^T", "[2, 3, 5]", "[2, 5, 2]"),
                be -> be.batchedGemm(true, false, 1f, be.zeros(2, 3, 2), be.zeros(2, 3, 5), 0f, be.zeros(2, 5, 2))));
        cases.add(new BadCall("batchedGemm of 2-D operands", "batchedGemm", List.of("[2, 3]", "[3, 5]"),
                be -> be.batchedGemm(false, false, 1f, be.zeros(2, 3), be.zeros(3, 5), 0f, be.zeros(1, 2, 5))));
        cases.add(BadCall.mismatch("layerNorm output", "layerNorm", "[2, 3]", "[3, 2]",
                be -> be.layerNorm(be.zeros(2, 3), null, null, 1e-5f, be.zeros(3, 2), be.zeros(2), be.zeros(2))));
        cases.add(BadCall.mismatch("layerNorm gamma", "layerNorm", "[4]", "[2, 3]",
                be -> be.layerNorm(be.zeros(2, 3), be.zeros(4), null, 1e-5f, be.zeros(2, 3), be.zeros(2), be.zeros(2))));
        cases.add(BadCall.mismatch("layerNorm mean", "layerNorm", "[3]", "[2, 3]",
                be -> be.layerNorm(be.zeros(2, 3), null, null, 1e-5f, be.zeros(2, 3), be.zeros(3), be.zeros(2))));
        cases.add(new BadCall("layerNorm backward dx", "layerNorm backward", List.of("[2, 3]", "[2, 4]"),
                be -> be.layerNormBackward(be.zeros(2, 3), be.zeros(2), be.zeros(2), null, be.zeros(2, 3),
                        be.zeros(2, 4), null, null)));
        cases.add(BadCall.mismatch("layerNorm backward dgamma", "layerNorm backward", "[2]", "[2, 3]",
                be -> be.layerNormBackward(be.zeros(2, 3), be.zeros(2), be.zeros(2), null, be.zeros(2, 3),
                        be.zeros(2, 3), be.zeros(2), null)));
        cases.add(BadCall.mismatch("linear bias", "linear", "[5]", "[4, 3]",
                be -> be.linear(be.zeros(2, 3), be.zeros(4, 3), be.zeros(5), Activation.IDENTITY, 0f, be.zeros(2, 4))));
        cases.add(new BadCall("linear packed inner dimensions", "linear", List.of("[2, 5]", "[4, 3]"),
                be -> be.linear(be.zeros(2, 5), be.packWeights(be.zeros(4, 3)), null, Activation.IDENTITY, 0f,
                        be.zeros(2, 4))));
        cases.add(new BadCall("linear packed output", "linear", List.of("[2, 3]", "[4, 3]", "[2, 5]"),
                be -> be.linear(be.zeros(2, 3), be.packWeights(be.zeros(4, 3)), null, Activation.IDENTITY, 0f,
                        be.zeros(2, 5))));
        cases.add(BadCall.mismatch("linear packed bias", "linear", "[5]", "[4, 3]",
                be -> be.linear(be.zeros(2, 3), be.packWeights(be.zeros(4, 3)), be.zeros(5), Activation.IDENTITY, 0f,
                        be.zeros(2, 4))));
        cases.add(new BadCall("packWeights of 3-D", "packWeights", List.of("[2, 3, 4]"),
                be -> be.packWeights(be.zeros(2, 3, 4))));
        cases.add(BadCall.mismatch("transpose", "transpose", "[2, 3]", "[3, 3]",
                be -> be.transpose(be.zeros(2, 3), be.zeros(3, 3))));
        for (UnaryOp op : UnaryOp.values()) {
            cases.add(BadCall.mismatch(op.label(), op.label(), "[2, 3]", "[3, 2]",
                    be -> be.unary(op, be.zeros(2, 3), be.zeros(3, 2))));
        }
        cases.add(BadCall.mismatch("affine", "affine", "[2, 3]", "[3, 2]",
                be -> be.affine(be.zeros(2, 3), 2f, 1f, be.zeros(3, 2))));
        cases.add(BadCall.mismatch("powScalar", "pow", "[2, 3]", "[3, 2]",
                be -> be.powScalar(be.zeros(2, 3), 2f, be.zeros(3, 2))));
        cases.add(BadCall.mismatch("clamp", "clamp", "[2, 3]", "[3, 2]",
                be -> be.clamp(be.zeros(2, 3), 0f, 1f, be.zeros(3, 2))));
        for (BinaryOp op : BinaryOp.values()) {
            cases.add(BadCall.mismatch(op.label() + " broadcast", op.label(), "[2, 3]", "[4]",
                    be -> be.binary(op, be.zeros(2, 3), be.zeros(4), be.zeros(2, 3))));
        }
        cases.add(BadCall.mismatch("add output", "add", "[2, 3]", "[3, 2]",
                be -> be.binary(BinaryOp.ADD, be.zeros(2, 3), be.zeros(3), be.zeros(3, 2))));
        for (ReduceOp op : ReduceOp.values()) {
            cases.add(BadCall.mismatch(op.label() + " along axis 1", op.label(), "[2, 3]", "[3]",
                    be -> be.reduce(op, be.zeros(2, 3), 1, be.zeros(3))));
        }
        // A whole reduction has one shape that can be wrong, the output's.
        cases.add(new BadCall("sum of all", "sum", List.of("[2]"),
                be -> be.reduceAll(ReduceOp.SUM, be.zeros(2, 3), be.zeros(2))));
        cases.add(BadCall.mismatch("softmax", "softmax", "[2, 3]", "[2, 4]", be -> be.softmax(be.zeros(2, 3), be.zeros(2, 4))));
        cases.add(BadCall.mismatch("logSoftmax", "logSoftmax", "[2, 3]", "[2, 4]",
                be -> be.logSoftmax(be.zeros(2, 3), be.zeros(2, 4))));
        cases.add(BadCall.mismatch("argmax", "argmax", "[2, 3]", "[3]", be -> be.argmax(be.zeros(2, 3), be.zeros(3))));
        cases.add(BadCall.mismatch("oneHot", "oneHot", "[3]", "[2, 4]", be -> be.oneHot(be.zeros(3), 1f, 0f, be.zeros(2, 4))));
        cases.add(BadCall.mismatch("gatherRows", "gatherRows", "[4, 3]", "[2, 2]",
                be -> be.gatherRows(be.zeros(4, 3), new int[] {0, 1}, 0, be.zeros(2, 2))));
        cases.add(BadCall.mismatch("copy", "copy", "[2, 3]", "[7]", be -> be.copy(be.zeros(2, 3), be.zeros(7))));
        cases.add(BadCall.mismatch("shiftImages", "shiftImages", "[2, 1, 3, 3]", "[2, 1, 3, 4]",
                be -> be.shiftImages(be.zeros(2, 1, 3, 3), new int[6], be.zeros(2, 1, 3, 4))));
        for (Activation act : Activation.values()) {
            cases.add(BadCall.mismatch(act.label(), act.label(), "[2, 3]", "[6]",
                    be -> be.activation(act, 0.1f, be.zeros(2, 3), be.zeros(6))));
            cases.add(BadCall.mismatch(act.label() + " backward", act.backwardLabel(), "[2, 3]", "[3, 2]",
                    be -> be.activationBackward(act, 0.1f, be.zeros(2, 3), be.zeros(2, 3), be.zeros(2, 3), be.zeros(3, 2))));
        }
        cases.add(BadCall.mismatch("sgd", "sgd", "[2, 3]", "[3, 2]",
                be -> be.sgdUpdate(be.zeros(2, 3), be.zeros(3, 2), null, 0.1f, 0f, 0f, false)));
        cases.add(BadCall.mismatch("adam", "adam", "[2, 3]", "[6]",
                be -> be.adamUpdate(be.zeros(2, 3), be.zeros(2, 3), be.zeros(2, 3), be.zeros(6), 0.1f, 0.9f, 0.999f,
                        1e-8f, 0f, false, 1)));
        cases.add(BadCall.mismatch("rmsprop", "rmsprop", "[2, 3]", "[3, 2]",
                be -> be.rmspropUpdate(be.zeros(2, 3), be.zeros(2, 3), be.zeros(3, 2), 0.1f, 0.9f, 1e-8f, 0f)));
        cases.add(BadCall.mismatch("adagrad", "adagrad", "[2, 3]", "[3, 2]",
                be -> be.adagradUpdate(be.zeros(2, 3), be.zeros(3, 2), be.zeros(2, 3), 0.1f, 1e-8f, 0f)));
        return cases;
    }

    /**
     * An output in the memory of an input, which the kernel reads while it writes: gathering rows
     * {1, 0} of x into x gave [x1, x1], and a reduction into its own input reads sums for values.
     */
    static List<BadCall> sharedMemory() {
        List<BadCall> cases = new ArrayList<>();
        cases.add(BadCall.missing("gatherRows into its source", "gatherRows", be -> {
            Tensor x = be.zeros(4, 3);
            be.gatherRows(x, new int[] {1, 0}, 0, x.rows(2, 4));
        }));
        cases.add(BadCall.missing("scatterAddRows from its accumulator", "scatterAddRows", be -> {
            Tensor x = be.zeros(4, 3);
            be.scatterAddRows(x.rows(0, 2), new int[] {2, 3}, 0, x);
        }));
        cases.add(BadCall.missing("sum along an axis into its input", "sum", be -> {
            Tensor x = be.zeros(2, 3);
            be.reduce(ReduceOp.SUM, x, 0, x.reshape(6).rows(0, 3));
        }));
        cases.add(BadCall.missing("sum of all into its input", "sum", be -> {
            Tensor x = be.zeros(2, 3);
            be.reduceAll(ReduceOp.SUM, x, x.reshape(6).rows(5, 6));
        }));
        cases.add(BadCall.missing("argmax into its input", "argmax", be -> {
            Tensor x = be.zeros(2, 3);
            be.argmax(x, x.reshape(6).rows(0, 2));
        }));
        cases.add(BadCall.missing("oneHot into its labels", "oneHot", be -> {
            Tensor out = be.zeros(2, 3);
            be.oneHot(out.reshape(6).rows(4, 6), 1f, 0f, out);
        }));
        return cases;
    }

    /** Tensors an operation needs, given as null: refused naming the op, never a NullPointerException. */
    static List<BadCall> missingOperands() {
        List<BadCall> cases = new ArrayList<>();
        for (Activation act : Activation.values()) {
            if (act.backwardReadsInput()) {
                cases.add(BadCall.missing(act.label() + " backward without x", act.backwardLabel(),
                        be -> be.activationBackward(act, 0.1f, null, be.zeros(2, 3), be.zeros(2, 3), be.zeros(2, 3))));
            }
            if (act.backwardReadsOutput()) {
                cases.add(BadCall.missing(act.label() + " backward without y", act.backwardLabel(),
                        be -> be.activationBackward(act, 0.1f, be.zeros(2, 3), null, be.zeros(2, 3), be.zeros(2, 3))));
            }
        }
        cases.add(BadCall.missing("sgd with momentum, no velocity", "sgd",
                be -> be.sgdUpdate(be.zeros(2), be.zeros(2), null, 0.1f, 0.9f, 0f, false)));
        cases.add(BadCall.missing("adam without m", "adam",
                be -> be.adamUpdate(be.zeros(2), be.zeros(2), null, be.zeros(2), 0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 1)));
        cases.add(BadCall.missing("adam without v", "adam",
                be -> be.adamUpdate(be.zeros(2), be.zeros(2), be.zeros(2), null, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 1)));
        cases.add(BadCall.missing("adam at step 0", "adam",
                be -> be.adamUpdate(be.zeros(2), be.zeros(2), be.zeros(2), be.zeros(2), 0.1f, 0.9f, 0.999f, 1e-8f, 0f,
                        false, 0)));
        cases.add(BadCall.missing("rmsprop without state", "rmsprop",
                be -> be.rmspropUpdate(be.zeros(2), be.zeros(2), null, 0.1f, 0.9f, 1e-8f, 0f)));
        cases.add(BadCall.missing("adagrad without state", "adagrad",
                be -> be.adagradUpdate(be.zeros(2), be.zeros(2), null, 0.1f, 1e-8f, 0f)));
        cases.add(BadCall.missing("sgd without gradient", "sgd",
                be -> be.sgdUpdate(be.zeros(2), null, null, 0.1f, 0f, 0f, false)));
        cases.add(BadCall.missing("gemm without B", "matmul",
                be -> be.gemm(false, false, 1f, be.zeros(2, 2), null, 0f, be.zeros(2, 2))));
        cases.add(BadCall.missing("batchedGemm without A", "batchedGemm",
                be -> be.batchedGemm(false, false, 1f, null, be.zeros(1, 2, 2), 0f, be.zeros(1, 2, 2))));
        cases.add(BadCall.missing("batchedGemm in place", "batchedGemm", be -> {
            Tensor a = be.zeros(1, 2, 2);
            be.batchedGemm(false, false, 1f, a, be.zeros(1, 2, 2), 0f, a);
        }));
        cases.add(BadCall.missing("layerNorm without rstd", "layerNorm",
                be -> be.layerNorm(be.zeros(2, 3), null, null, 1e-5f, be.zeros(2, 3), be.zeros(2), null)));
        cases.add(BadCall.missing("layerNorm with a negative eps", "layerNorm",
                be -> be.layerNorm(be.zeros(2, 3), null, null, -1f, be.zeros(2, 3), be.zeros(2), be.zeros(2))));
        cases.add(BadCall.missing("layerNorm of a scalar", "layerNorm",
                be -> be.layerNorm(be.zeros(), null, null, 1e-5f, be.zeros(), be.zeros(1), be.zeros(1))));
        cases.add(BadCall.missing("layerNorm with the mean in the output", "layerNorm", be -> {
            Tensor out = be.zeros(2, 3);
            be.layerNorm(be.zeros(2, 3), null, null, 1e-5f, out, out.reshape(6).rows(0, 2), be.zeros(2));
        }));
        cases.add(BadCall.missing("layerNorm backward without dy", "layerNorm backward",
                be -> be.layerNormBackward(be.zeros(2, 3), be.zeros(2), be.zeros(2), null, null, be.zeros(2, 3), null,
                        null)));
        cases.add(BadCall.missing("layerNorm backward with dx in dy", "layerNorm backward", be -> {
            Tensor dy = be.zeros(2, 3);
            be.layerNormBackward(be.zeros(2, 3), be.zeros(2), be.zeros(2), null, dy, dy, null, null);
        }));
        cases.add(BadCall.missing("exp without output", "exp", be -> be.unary(UnaryOp.EXP, be.zeros(2), null)));
        cases.add(BadCall.missing("unary without an op", "unary", be -> be.unary(null, be.zeros(2), be.zeros(2))));
        cases.add(BadCall.missing("binary without an op", "binary",
                be -> be.binary(null, be.zeros(2), be.zeros(2), be.zeros(2))));
        cases.add(BadCall.missing("reduce without an op", "reduce", be -> be.reduce(null, be.zeros(2, 2), 0, be.zeros(2))));
        cases.add(BadCall.missing("reduceAll without an op", "reduceAll",
                be -> be.reduceAll(null, be.zeros(2, 2), be.zeros(1))));
        cases.add(BadCall.missing("pool2d without an op", "pool2d", be -> be.pool2d(null, be.zeros(1, 1, 2, 2),
                dendrite.tensor.op.Conv2dGeometry.pool(1, 1, 2, 2, 2, 2, 2, 2, 0, 0), be.zeros(1, 1, 1, 1))));
        cases.add(BadCall.missing("pool2d backward without an op", "pool2dBackward", be -> be.pool2dBackward(null,
                be.zeros(1, 1, 2, 2), be.zeros(1, 1, 1, 1), be.zeros(1, 1, 1, 1),
                dendrite.tensor.op.Conv2dGeometry.pool(1, 1, 2, 2, 2, 2, 2, 2, 0, 0), be.zeros(1, 1, 2, 2))));
        cases.add(BadCall.missing("activation without an activation", "activation",
                be -> be.activation(null, 0f, be.zeros(2), be.zeros(2))));
        cases.add(BadCall.missing("activation backward without an activation", "activationBackward",
                be -> be.activationBackward(null, 0f, be.zeros(2), be.zeros(2), be.zeros(2), be.zeros(2))));
        cases.add(BadCall.missing("gatherRows without indices", "gatherRows",
                be -> be.gatherRows(be.zeros(2, 2), null, 0, be.zeros(1, 2))));
        cases.add(BadCall.missing("shiftImages without moves", "shiftImages",
                be -> be.shiftImages(be.zeros(1, 1, 2, 2), null, be.zeros(1, 1, 2, 2))));
        cases.add(BadCall.missing("shiftImages with too few moves", "shiftImages",
                be -> be.shiftImages(be.zeros(2, 1, 2, 2), new int[5], be.zeros(2, 1, 2, 2))));
        cases.add(BadCall.missing("shiftImages flipping by 2", "shiftImages",
                be -> be.shiftImages(be.zeros(1, 1, 2, 2), new int[] {0, 0, 2}, be.zeros(1, 1, 2, 2))));
        cases.add(BadCall.missing("shiftImages past the image", "shiftImages",
                be -> be.shiftImages(be.zeros(1, 1, 2, 2), new int[] {3, 0, 0}, be.zeros(1, 1, 2, 2))));
        cases.add(BadCall.missing("shiftImages in place", "shiftImages", be -> {
            Tensor x = be.zeros(1, 1, 2, 2);
            be.shiftImages(x, new int[3], x);
        }));
        cases.add(BadCall.missing("bernoulliMask with keep 1.5", "bernoulliMask",
                be -> be.bernoulliMask(1, 1.5f, 1f, be.zeros(2))));
        cases.add(BadCall.missing("write past the array", "write", be -> be.write(be.zeros(4), new float[3], 0)));
        cases.add(BadCall.missing("read into a short array", "read", be -> be.read(be.zeros(4), new float[5], 2)));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapeMismatches")
    void shapeMismatchThrowsNamingTheOpAndTheShapes(BadCall m) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.call().accept(be()),
                m.label() + " with mismatched shapes must throw IllegalArgumentException");
        String message = String.valueOf(e.getMessage());
        assertTrue(message.startsWith(m.opName() + ": "), "the message starts with the op " + m.opName() + ": " + message);
        for (String shape : m.shapes()) {
            assertTrue(message.contains(shape), "the message names the shape " + shape + ": " + message);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingOperands")
    void aMissingOperandIsRefusedNamingTheOp(BadCall m) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.call().accept(be()),
                m.label() + " must throw IllegalArgumentException");
        assertTrue(String.valueOf(e.getMessage()).startsWith(m.opName() + ": "),
                "the message starts with the op " + m.opName() + ": " + e.getMessage());
    }

    static List<BadCall> callsOnAClosedTensor() {
        // Each call gets a closed [2, 2] tensor in the position the label names; the rest are alive.
        List<BadCall> cases = new ArrayList<>();
        cases.add(BadCall.onClosed("gemm input", be -> {
            Tensor a = be.zeros(2, 2);
            a.close();
            be.gemm(false, false, 1f, a, be.zeros(2, 2), 0f, be.zeros(2, 2));
        }));
        cases.add(BadCall.onClosed("gemm output", be -> {
            Tensor c = be.zeros(2, 2);
            c.close();
            be.gemm(false, false, 1f, be.zeros(2, 2), be.zeros(2, 2), 0f, c);
        }));
        cases.add(BadCall.onClosed("exp input", be -> be.unary(UnaryOp.EXP, closedTensor(be), be.zeros(2, 2))));
        cases.add(BadCall.onClosed("add second input", be -> be.binary(BinaryOp.ADD, be.zeros(2, 2), closedTensor(be), be.zeros(2, 2))));
        cases.add(BadCall.onClosed("sum input", be -> be.reduce(ReduceOp.SUM, closedTensor(be), 0, be.zeros(2))));
        cases.add(BadCall.onClosed("softmax output", be -> be.softmax(be.zeros(2, 2), closedTensor(be))));
        cases.add(BadCall.onClosed("relu input", be -> be.activation(Activation.RELU, 0f, closedTensor(be), be.zeros(2, 2))));
        cases.add(BadCall.onClosed("sgd parameter", be -> be.sgdUpdate(closedTensor(be), be.zeros(2, 2), null, 0.1f, 0f, 0f, false)));
        cases.add(BadCall.onClosed("fill", be -> be.fill(closedTensor(be), 1f)));
        cases.add(BadCall.onClosed("linear packed weights", be -> {
            dendrite.tensor.PackedWeights w = be.packWeights(be.zeros(2, 2));
            w.close();
            be.linear(be.zeros(2, 2), w, null, Activation.IDENTITY, 0f, be.zeros(2, 2));
        }));
        cases.add(BadCall.onClosed("packWeights of a closed tensor", be -> be.packWeights(closedTensor(be))));
        cases.add(BadCall.onClosed("copy destination", be -> be.copy(be.zeros(2, 2), closedTensor(be))));
        cases.add(BadCall.onClosed("randomUniform output", be -> be.randomUniform(1, 0f, 1f, closedTensor(be))));
        cases.add(BadCall.onClosed("toArray", be -> closedTensor(be).toArray()));
        cases.add(BadCall.onClosed("reshape", be -> closedTensor(be).reshape(4)));
        cases.add(BadCall.onClosed("rows", be -> closedTensor(be).rows(0, 1)));
        cases.add(BadCall.onClosed("a view of a closed tensor", be -> {
            Tensor owner = be.zeros(2, 2);
            Tensor view = owner.rows(0, 1);
            owner.close();
            be.fill(view, 1f);
        }));
        return cases;
    }

    private static Tensor closedTensor(Backend be) {
        Tensor t = be.zeros(2, 2);
        t.close();
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("callsOnAClosedTensor")
    void useAfterCloseThrowsIllegalStateException(BadCall m) {
        assertThrows(IllegalStateException.class, () -> m.call().accept(be()), m.label() + " after close");
    }

    @Test
    void aTensorOfAnotherBackendIsRejected() {
        Tensor foreign = StorageOnlyKernels.backend("elsewhere").zeros(2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> be().copy(foreign, be().zeros(2, 2)));
        assertTrue(e.getMessage().contains("elsewhere"), "the message names the other backend: " + e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> be().binary(BinaryOp.ADD, be().zeros(2, 2), foreign, be().zeros(2, 2)));
        assertThrows(IllegalArgumentException.class, () -> be().gemm(false, false, 1f, be().zeros(2, 2), be().zeros(2, 2), 0f, foreign));
    }

    // ------------------------------------------------------------------ memory transfer and views

    private static float[] iota(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }

    @Test
    void writeAndReadHonourTheirArrayOffsets() {
        Tensor x = be().zeros(3);
        be().write(x, new float[] {9, 9, 1, 2, 3}, 2);
        float[] dst = {7, 7, 7, 7, 7};
        be().read(x, dst, 1);
        assertArrayEquals(new float[] {7, 1, 2, 3, 7}, dst);
    }

    @Test
    void aRowsViewReadsAndWritesThrough() {
        Tensor x = t(iota(12), 4, 3);
        Tensor middle = x.rows(1, 3);
        assertArrayEquals(new float[] {3, 4, 5, 6, 7, 8}, middle.toArray(), "rows(1, 3) of [4, 3]");
        middle.copyFrom(new float[] {-1, -2, -3, -4, -5, -6});
        assertArrayEquals(new float[] {0, 1, 2, -1, -2, -3, -4, -5, -6, 9, 10, 11}, x.toArray(), "written through");
        Tensor last = x.rows(2, 4).rows(1, 2);
        assertArrayEquals(new float[] {9, 10, 11}, last.toArray(), "a view of a view");
    }

    @Test
    void aReshapeSharesMemory() {
        Tensor x = t(iota(6), 2, 3);
        Tensor flat = x.reshape(-1);
        assertArrayEquals(iota(6), flat.toArray());
        be().fill(flat.reshape(3, 2).rows(2, 3), 50f);
        assertArrayEquals(new float[] {0, 1, 2, 3, 50, 50}, x.toArray(), "the last two values, filled through two views");
    }

    @Test
    void kernelsWorkOnRowViewsAndLeaveOtherRowsAlone() {
        float[] base = Values.uniform(21, 15, -1, 1);
        Tensor x = t(base, 5, 3);
        Tensor view = x.rows(1, 4);                     // rows 1..3, starting 3 values in
        be().unary(UnaryOp.NEG, view, view);
        float[] expected = base.clone();
        for (int i = 3; i < 12; i++) {
            expected[i] = -base[i];
        }
        assertArrayEquals(expected, x.toArray(), "neg in place on rows 1..3 of [5, 3]");

        be().binary(BinaryOp.ADD, view, t(new float[] {1, 2, 3}, 3), view);
        for (int i = 3; i < 12; i++) {
            expected[i] += 1 + i % 3;
        }
        assertArrayEquals(expected, x.toArray(), "add a row vector on rows 1..3");

        Tensor sums = be().zeros(3);
        be().reduce(ReduceOp.SUM, view, 1, sums);
        float[] expectedSums = new float[3];
        for (int r = 0; r < 3; r++) {
            expectedSums[r] = expected[3 + 3 * r] + expected[4 + 3 * r] + expected[5 + 3 * r];
        }
        Expect.close(be().name() + " sum of rows of a view", sums.shape(), expectedSums, sums.toArray(),
                Tolerances.ELEMENTWISE);

        Tensor soft = t(new float[15], 5, 3).rows(2, 3);
        be().softmax(t(new float[] {0, 0, 0}, 1, 3), soft);
        Expect.close(be().name() + " softmax into row 2 of [5, 3]", Shape.of(3), new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0},
                soft.toArray(), Tolerances.TRANSCENDENTAL);

        be().randomUniform(77, 0f, 1f, x.rows(4, 5));
        for (int i = 0; i < 3; i++) {
            expected[12 + i] = CounterRandom.uniform(77, i);   // counted from the start of the view
        }
        assertArrayEquals(expected, x.toArray(), "randomUniform into the last row");
    }

    @Test
    void gemmReadsAndWritesRowViews() {
        float[] a = Values.uniform(22, 4 * 3, -1, 1);
        float[] b = Values.uniform(23, 3 * 2, -1, 1);
        Tensor aAll = t(a, 4, 3);
        Tensor cAll = be().full(5f, 4, 2);
        be().gemm(false, false, 1f, aAll.rows(1, 3), t(b, 3, 2), 0f, cAll.rows(2, 4));
        float[] aRows = java.util.Arrays.copyOfRange(a, 3, 9);
        double[] expected = new double[8];
        java.util.Arrays.fill(expected, 5);
        double[] product = Reference.gemm(false, false, 2, 2, 3, 1, aRows, b, 0, null);
        System.arraycopy(product, 0, expected, 4, 4);
        double[] scale = new double[8];
        double[] productScale = Reference.gemmScale(false, false, 2, 2, 3, 1, aRows, b, 0, null);
        System.arraycopy(productScale, 0, scale, 4, 4);
        Expect.close(be().name() + " gemm of rows 1..2 of A into rows 2..3 of C", cAll.shape(), expected, cAll.toArray(),
                Tolerances.gemm(3, scale));
    }

    @Test
    void copyAndGatherWorkOnViews() {
        Tensor x = t(iota(8), 4, 2);
        Tensor out = be().zeros(2, 2);
        be().gatherRows(x.rows(2, 4), new int[] {1, 0}, 0, out);    // indices count from the view's first row
        assertArrayEquals(new float[] {6, 7, 4, 5}, out.toArray(), "gather from rows 2..3");
        be().copy(out, x.rows(0, 2));
        assertArrayEquals(new float[] {6, 7, 4, 5, 4, 5, 6, 7}, x.toArray(), "copy into rows 0..1");
    }
}
