package dendrite.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dendrite.nn.Sequential;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX's own operator tests (the {@code data/node} cases of the ONNX repository, Debian's
 * {@code libonnx-testdata}: a one-node model, its inputs and the outputs the ONNX specification gives):
 * every case is either imported and then computes ONNX's outputs, or refused with an
 * {@link OnnxImportException}. Never a wrong answer, never another exception. A case's inputs after the
 * first become constants (initializers), as a trained model's weights are; the first input's leading
 * dimension is the batch.
 *
 * <p>Needs the test data at {@code /usr/share/libonnx-testdata/data/node} (or
 * {@code -Ddendrite.onnx.testdata=DIR}); without it the test is skipped saying so, unless
 * {@code -Ddendrite.onnx.testdata.require=true}, as CI runs it.
 */
class OnnxNodeConformanceTest {
    private static final Path DEFAULT_DIR = Path.of("/usr/share/libonnx-testdata/data/node");

    /**
     * Cases import must take, so that refusing everything cannot pass: one or more of each operator and
     * option the importer documents, where ONNX has a case that fits a batch-first, one-input model at
     * opset 9 or later (ONNX's cases of Elu, Selu, Softplus and GlobalAveragePool are opsets 1 and 6).
     */
    private static final Set<String> MUST_IMPORT = Set.of("test_relu", "test_sigmoid", "test_tanh", "test_leakyrelu",
            "test_leakyrelu_default", "test_hardswish", "test_basic_conv_with_padding", "test_conv_with_strides_padding",
            "test_conv_with_strides_no_padding", "test_maxpool_2d_default", "test_maxpool_2d_strides",
            "test_maxpool_2d_precomputed_pads", "test_averagepool_2d_default",
            "test_averagepool_2d_precomputed_pads_count_include_pad", "test_batchnorm_example", "test_batchnorm_epsilon",
            "test_flatten_axis1", "test_flatten_default_axis", "test_gemm_default_no_bias", "test_gemm_default_vector_bias",
            "test_gemm_transposeB", "test_gemm_alpha", "test_gemm_beta", "test_matmul_2d", "test_softmax_example", "test_softmax_large_number",
            "test_logsoftmax_example_1", "test_logsoftmax_large_number");

    @TempDir
    Path tmp;

    @Test
    void everyCaseIsImportedRightOrRefused() throws IOException {
        Path dir = Path.of(System.getProperty("dendrite.onnx.testdata", DEFAULT_DIR.toString()));
        if (!Files.isDirectory(dir)) {
            String why = "ONNX's node test data is not at " + dir + " (Debian: apt-get install libonnx-testdata)";
            if (Boolean.getBoolean("dendrite.onnx.testdata.require")) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        Backend be = Backends.get("scalar");
        List<String> wrong = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        Set<String> imported = new TreeSet<>();
        int refused = 0;
        int notApplicable = 0;
        List<Path> cases;
        try (Stream<Path> s = Files.list(dir)) {
            cases = s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))
                    && Files.isRegularFile(p.resolve("test_data_set_0/input_0.pb"))).sorted().toList();
        }
        for (Path c : cases) {
            String name = c.getFileName().toString();
            Path data = c.resolve("test_data_set_0");
            if (Files.exists(data.resolve("output_1.pb"))) {
                notApplicable++;                                  // several outputs: a model has one
                continue;
            }
            OnnxProto.TensorData x;
            OnnxProto.TensorData expected;
            Path model = tmp.resolve(name + ".onnx");
            try {
                x = OnnxProto.parseTensor(Files.readAllBytes(data.resolve("input_0.pb")));
                expected = OnnxProto.parseTensor(Files.readAllBytes(data.resolve("output_0.pb")));
                Files.write(model, withConstantInputs(Files.readAllBytes(c.resolve("model.onnx")), data));
            } catch (OnnxProto.Malformed | RuntimeException e) {
                notApplicable++;                                  // not float data, or not one data input
                continue;
            }
            if (x.dataType() != OnnxProto.FLOAT || expected.dataType() != OnnxProto.FLOAT || x.dims().length < 2) {
                notApplicable++;
                continue;
            }
            Sequential m;
            try {
                m = OnnxImport.load(model, be);
            } catch (OnnxImportException e) {
                refused++;
                if (MUST_IMPORT.contains(name)) {
                    refusals.add(name + ": " + e.getMessage());
                }
                continue;
            } catch (RuntimeException e) {
                wrong.add(name + ": " + e);
                continue;
            }
            String mismatch = compare(m, x, expected);
            if (mismatch == null) {
                imported.add(name);
            } else {
                wrong.add(name + ": " + mismatch);
            }
        }
        System.out.printf("ONNX node cases: %d imported and right, %d refused, %d not applicable, %d wrong%n",
                imported.size(), refused, notApplicable, wrong.size());
        System.out.println("imported: " + imported);
        assertEquals(List.of(), wrong, "cases imported to a wrong answer or failing otherwise");
        Set<String> missing = new TreeSet<>(MUST_IMPORT);
        missing.removeAll(imported);
        assertTrue(missing.isEmpty(), "cases refused that import must take: " + missing + "; " + refusals);
    }

    /** Null if the model gives ONNX's output for the case's first input, else what differs. */
    private static String compare(Sequential m, OnnxProto.TensorData x, OnnxProto.TensorData expected) {
        int n = (int) x.dims()[0];
        float[] out;
        try {
            out = m.predict(x.floats(), n);
        } catch (RuntimeException e) {
            return "predict failed: " + e;
        }
        float[] want = expected.floats();
        if (out.length != want.length) {
            return "output of " + out.length + " values, ONNX's has " + want.length;
        }
        for (int i = 0; i < want.length; i++) {
            double tolerance = 1e-5 + 1e-4 * Math.abs(want[i]);
            boolean same = Float.isNaN(want[i]) ? Float.isNaN(out[i])
                    : Float.isInfinite(want[i]) ? out[i] == want[i] : Math.abs(out[i] - want[i]) <= tolerance;
            if (!same) {
                return "value " + i + " is " + out[i] + ", ONNX's " + want[i];
            }
        }
        return null;
    }

    /**
     * The model with its graph inputs after the first turned into initializers holding the case's values
     * (input_k.pb is a TensorProto; its name is set to the input's). ModelProto.graph = 7;
     * GraphProto.initializer = 5, input = 11; ValueInfoProto.name = 1; TensorProto.name = 8.
     */
    private static byte[] withConstantInputs(byte[] modelBytes, Path data) throws IOException {
        UnknownFieldSet model = UnknownFieldSet.parseFrom(modelBytes);
        UnknownFieldSet graph = UnknownFieldSet.parseFrom(model.getField(7).getLengthDelimitedList().get(0));
        List<ByteString> inputs = graph.getField(11).getLengthDelimitedList();
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no inputs");
        }
        UnknownFieldSet.Field.Builder keptInputs = UnknownFieldSet.Field.newBuilder().addLengthDelimited(inputs.get(0));
        UnknownFieldSet.Field.Builder initializers = UnknownFieldSet.Field.newBuilder();
        if (graph.hasField(5)) {
            graph.getField(5).getLengthDelimitedList().forEach(initializers::addLengthDelimited);
        }
        for (int k = 1; k < inputs.size(); k++) {
            String inputName = UnknownFieldSet.parseFrom(inputs.get(k)).getField(1).getLengthDelimitedList().get(0)
                    .toStringUtf8();
            Path pb = data.resolve("input_" + k + ".pb");
            if (!Files.exists(pb)) {
                throw new IllegalArgumentException("no values for input " + k);
            }
            UnknownFieldSet tensor = UnknownFieldSet.parseFrom(Files.readAllBytes(pb));
            UnknownFieldSet named = UnknownFieldSet.newBuilder(tensor).clearField(8).addField(8,
                    UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8(inputName)).build())
                    .build();
            initializers.addLengthDelimited(named.toByteString());
        }
        UnknownFieldSet newGraph = UnknownFieldSet.newBuilder(graph).clearField(11).addField(11, keptInputs.build())
                .clearField(5).addField(5, initializers.build()).build();
        return UnknownFieldSet.newBuilder(model).clearField(7)
                .addField(7, UnknownFieldSet.Field.newBuilder().addLengthDelimited(newGraph.toByteString()).build())
                .build().toByteArray();
    }
}
