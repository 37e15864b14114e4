package dendrite.onnx;

import dendrite.nn.Sequential;
import dendrite.nn.graph.Graph;
import dendrite.nn.graph.GraphBuilder;
import dendrite.onnx.OnnxImport.Step;
import dendrite.tensor.Backend;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The converted nodes as a {@link Sequential}: where one value alone is passed on (a chain), each
 * layer is one of the model's layers, as PyTorch's {@code nn.Sequential} has them; each part where
 * values branch and merge again (a residual block, an Inception-like concatenation) is one
 * {@link Graph} among them, its input the value before the branch, its output the merge's.
 */
final class GraphAssembly {
    private GraphAssembly() {
    }

    /**
     * @param steps  the nodes in an order where each comes after its inputs
     * @param output the step whose value is the model's output
     */
    static Sequential build(Path file, int[] inputDims, List<Step> steps, int output, Backend backend)
            throws OnnxImportException {
        int n = steps.size();
        boolean[] feeds = new boolean[n];
        feeds[output] = true;
        int[] lastUse = new int[n + 1];                     // value v (Step.INPUT = -1) at v + 1
        Arrays.fill(lastUse, -1);
        lastUse[output + 1] = n;
        for (int i = n - 1; i >= 0; i--) {
            for (int in : steps.get(i).inputs) {
                if (in >= 0 && feeds[i]) {
                    feeds[in] = true;
                }
                lastUse[in + 1] = Math.max(lastUse[in + 1], i);
            }
        }
        for (int i = 0; i < n; i++) {
            if (!feeds[i]) {
                throw new OnnxImportException(file, steps.get(i).source, "its value does not lead to the graph's "
                        + "output (only models with one output, which every node computes a part of, are supported)", null);
            }
        }
        Sequential.Builder builder = Sequential.builder(inputDims);
        Map<String, float[]> state = new LinkedHashMap<>();
        int start = 0;
        int layers = 0;
        for (int i = 0; i < n; i++) {
            if (!passesOnAlone(lastUse, i)) {
                continue;
            }
            Step s = steps.get(i);
            if (i == start && s.layer != null) {
                builder.add(s.layer);
                for (Map.Entry<String, float[]> w : s.weights.entrySet()) {
                    state.put(layers + "." + w.getKey(), w.getValue());
                }
            } else {
                builder.add(graph(file, steps, start, i, layers + ".", state));
            }
            layers++;
            start = i + 1;
        }
        try {
            Sequential model = builder.build(backend, 0);
            model.loadStateDict(state);
            return model;
        } catch (RuntimeException e) {
            throw new OnnxImportException(file, null, "cannot build the model: " + e.getMessage(), e);
        }
    }

    /** Whether after step {@code i} its value is the only one still to be taken (by later steps or as output). */
    private static boolean passesOnAlone(int[] lastUse, int i) {
        for (int v = -1; v < i; v++) {
            if (lastUse[v + 1] > i) {
                return false;
            }
        }
        return lastUse[i + 1] > i;
    }

    /** Steps {@code from} to {@code to} as a graph whose input is the value step {@code from} takes. */
    private static Graph graph(Path file, List<Step> steps, int from, int to, String prefix, Map<String, float[]> state)
            throws OnnxImportException {
        int input = from - 1;                               // the step before, or Step.INPUT
        String[] names = new String[to + 1];
        GraphBuilder g = Graph.builder();
        for (int i = from; i <= to; i++) {
            Step s = steps.get(i);
            names[i] = (s.layer != null ? s.layer.type() : s.merge) + "_" + (i - from);
            String[] in = new String[s.inputs.length];
            for (int k = 0; k < in.length; k++) {
                in[k] = s.inputs[k] == input ? Graph.INPUT : names[s.inputs[k]];
            }
            if (s.layer != null) {
                g.layer(names[i], s.layer, in[0]);
            } else {
                switch (s.merge) {
                    case "add" -> g.add(names[i], in);
                    case "multiply" -> g.multiply(names[i], in);
                    default -> g.concat(names[i], s.axis, in);
                }
            }
            for (Map.Entry<String, float[]> w : s.weights.entrySet()) {
                state.put(prefix + names[i] + "." + w.getKey(), w.getValue());
            }
        }
        try {
            return g.outputs(names[to]).build();
        } catch (IllegalArgumentException e) {
            throw new OnnxImportException(file, steps.get(to).source, "cannot build the graph ending here: "
                    + e.getMessage(), e);
        }
    }
}
