package dendrite.onnx;

import dendrite.onnx.OnnxProto.Attribute;
import dendrite.onnx.OnnxProto.Node;
import dendrite.onnx.OnnxProto.TensorData;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The patterns of small operators torch 1.13 writes for one layer that ONNX (at the opset exported)
 * has no operator for: {@code nn.GELU()} as {@code x * (1 + erf(x / sqrt 2)) * 0.5}, and
 * {@code nn.LayerNorm} below opset 17 as its mean, variance, square root and division. A pattern is
 * matched only when each of its intermediate values is taken by the next node of the pattern alone.
 */
final class Fusions {
    /**
     * A pattern found: the nodes after the first that it takes, the value it ends in, and for layer
     * normalization the epsilon and the weight and bias (null when the pattern has none).
     */
    record Match(List<Integer> nodes, String output, double eps, float[] weight, float[] bias) {
    }

    private final List<Node> nodes;
    private final Map<String, TensorData> constants;
    private final Map<String, List<Integer>> consumers = new HashMap<>();

    /** {@code constants}: the walk's (read as the walk adds to it). */
    Fusions(List<Node> nodes, Map<String, TensorData> constants) {
        this.nodes = nodes;
        this.constants = constants;
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).inputs()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
            }
        }
    }

    /**
     * GELU from the Div node {@code div} of data {@code x}: Div(x, sqrt 2), Erf, Add 1, Mul by x, Mul by 0.5.
     */
    Match gelu(int div, String x) {
        Node d = nodes.get(div);
        if (!takes(d, x, 0) || !scalar(other(d, x), Math.sqrt(2), 1e-6)) {
            return null;
        }
        Integer erf = only(out(d), "Erf");
        Integer add = erf == null ? null : only(out(erf), "Add");
        if (add == null || !scalar(other(nodes.get(add), out(erf)), 1, 0)) {
            return null;
        }
        Integer mul = only(out(add), "Mul");
        if (mul == null || !x.equals(other(nodes.get(mul), out(add)))) {
            return null;
        }
        Integer half = only(out(mul), "Mul");
        if (half == null || !scalar(other(nodes.get(half), out(mul)), 0.5, 0)) {
            return null;
        }
        return new Match(List.of(erf, add, mul, half), out(half), 0, null, null);
    }

    /**
     * GELU's tanh approximation ({@code nn.GELU(approximate='tanh')}) from the Mul node {@code square} of
     * data {@code x} by itself: Mul by x, Mul by 0.044715, Add x, Mul by sqrt(2 / pi), Tanh, Add 1, Mul by x,
     * Mul by 0.5.
     */
    Match geluTanh(int square, String x) {
        Node sq = nodes.get(square);
        if (!takes(sq, x, 0) || !takes(sq, x, 1)) {
            return null;
        }
        List<Integer> taken = new ArrayList<>();
        String y = out(sq);
        Object[][] steps = {{"Mul", x}, {"Mul", 0.044715}, {"Add", x}, {"Mul", Math.sqrt(2 / Math.PI)}, {"Tanh", null},
                {"Add", 1.0}, {"Mul", x}, {"Mul", 0.5}};
        for (Object[] step : steps) {
            Integer next = only(y, (String) step[0]);
            if (next == null) {
                return null;
            }
            String o = other(nodes.get(next), y);
            boolean fits = step[1] == null ? nodes.get(next).inputs().size() == 1
                    : step[1] instanceof String s ? s.equals(o) : scalar(o, (Double) step[1], 1e-6);
            if (!fits) {
                return null;
            }
            taken.add(next);
            y = out(next);
        }
        return new Match(taken, y, 0, null, null);
    }

    /**
     * Layer normalization over the last of {@code rank} axes (of {@code size}) from the ReduceMean node
     * {@code mean} of data {@code x}: Sub(x, mean), Pow 2, ReduceMean, Add epsilon, Sqrt, Div of the
     * difference by it, then optionally Mul by a weight and Add of a bias of {@code size} values.
     */
    Match layerNorm(int mean, String x, int rank, int size) {
        Node m = nodes.get(mean);
        if (!takes(m, x, 0) || !reducesLast(m, rank)) {
            return null;
        }
        Integer sub = only(out(m), "Sub");
        if (sub == null || !takes(nodes.get(sub), x, 0) || !takes(nodes.get(sub), out(m), 1)) {
            return null;
        }
        String diff = out(nodes.get(sub));
        List<Integer> both = consumers.getOrDefault(diff, List.of());
        if (both.size() != 2) {
            return null;
        }
        int pow = both.get(0);
        int div = both.get(1);
        if (!is(pow, "Pow") || !takes(nodes.get(pow), diff, 0) || !scalar(other(nodes.get(pow), diff), 2, 0)) {
            return null;
        }
        Integer var = only(out(pow), "ReduceMean");
        if (var == null || !reducesLast(nodes.get(var), rank)) {
            return null;
        }
        Integer addEps = only(out(var), "Add");
        float[] eps = addEps == null ? null : floats(other(nodes.get(addEps), out(var)));
        if (eps == null || eps.length != 1 || !(eps[0] >= 0)) {
            return null;
        }
        Integer sqrt = only(out(addEps), "Sqrt");
        Integer div2 = sqrt == null ? null : only(out(sqrt), "Div");
        if (div2 == null || div2 != div || !takes(nodes.get(div), diff, 0) || !takes(nodes.get(div), out(sqrt), 1)) {
            return null;
        }
        List<Integer> taken = new ArrayList<>(List.of(sub, pow, var, addEps, sqrt, div));
        String y = out(div);
        float[] weight = null;
        float[] bias = null;
        Integer mul = only(y, "Mul");
        if (mul != null && floats(other(nodes.get(mul), y)) != null && floats(other(nodes.get(mul), y)).length == size) {
            weight = floats(other(nodes.get(mul), y));
            taken.add(mul);
            y = out(mul);
            Integer add = only(y, "Add");
            if (add != null && floats(other(nodes.get(add), y)) != null && floats(other(nodes.get(add), y)).length == size) {
                bias = floats(other(nodes.get(add), y));
                taken.add(add);
                y = out(add);
            }
        }
        return new Match(taken, y, eps[0], weight, bias);
    }

    /** ReduceMean over the last axis only, keeping it (axes as attribute, or as input from opset 18). */
    private boolean reducesLast(Node n, int rank) {
        Attribute keep = n.attribute("keepdims");
        if (keep != null && keep.i() != 1) {
            return false;
        }
        long[] axes = null;
        Attribute a = n.attribute("axes");
        if (a != null) {
            axes = a.ints();
        } else if (n.inputs().size() > 1 && constants.containsKey(n.inputs().get(1))) {
            axes = constants.get(n.inputs().get(1)).longs();
        }
        return axes != null && axes.length == 1 && (axes[0] == -1 || axes[0] == rank - 1);
    }

    /** The one node of {@code op} that takes {@code value}, or null when none, several or another op take it. */
    private Integer only(String value, String op) {
        List<Integer> c = consumers.getOrDefault(value, List.of());
        return c.size() == 1 && is(c.get(0), op) ? c.get(0) : null;
    }

    private boolean is(int index, String op) {
        Node n = nodes.get(index);
        return n.opType().equals(op) && (n.domain().isEmpty() || n.domain().equals("ai.onnx"))
                && n.outputs().size() == 1;
    }

    private static boolean takes(Node n, String value, int k) {
        return k < n.inputs().size() && n.inputs().get(k).equals(value);
    }

    private String out(int index) {
        return nodes.get(index).outputs().get(0);
    }

    private static String out(Node n) {
        return n.outputs().isEmpty() ? "" : n.outputs().get(0);
    }

    /** The input of a two-input node other than {@code one}, or null. */
    private static String other(Node n, String one) {
        if (n.inputs().size() != 2) {
            return null;
        }
        return n.inputs().get(0).equals(one) ? n.inputs().get(1) : n.inputs().get(1).equals(one) ? n.inputs().get(0) : null;
    }

    private float[] floats(String name) {
        TensorData t = name == null ? null : constants.get(name);
        return t == null ? null : t.floats();
    }

    private boolean scalar(String name, double value, double relative) {
        float[] f = floats(name);
        return f != null && f.length == 1 && Math.abs(f[0] - value) <= relative * Math.abs(value);
    }
}
