package dendrite.nn.graph;

import dendrite.nn.layers.Layer;
import dendrite.nn.layers.LayerRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph as plain data for model files, and back:
 * <pre>{@code {"input": "input",
 *  "nodes": [{"name": "conv1", "op": "layer", "inputs": ["input"], "layer": {"type": "conv2d", "config": {...}}},
 *            {"name": "sum", "op": "add", "inputs": ["conv2", "input"]},
 *            {"name": "joined", "op": "concat", "axis": 0, "inputs": ["a", "b"]}],
 *  "outputs": ["out"]}}</pre>
 * Reading goes through {@link GraphBuilder}, so a file describing a cycle, an unknown input or a
 * node that feeds nothing is refused with the same message as code building that graph.
 */
final class GraphConfig {
    private GraphConfig() {
    }

    static Map<String, Object> write(String inputName, List<Graph.Node> nodes, int[] outputs) {
        List<Object> specs = new ArrayList<>();
        for (Graph.Node n : nodes) {
            if (n.isInput()) {
                continue;
            }
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("name", n.name());
            spec.put("op", n.layer() != null ? "layer" : n.merge().op());
            List<Object> in = new ArrayList<>();
            for (int j : n.inputs()) {
                in.add(nodes.get(j).name());
            }
            spec.put("inputs", in);
            if (n.layer() != null) {
                Map<String, Object> layer = new LinkedHashMap<>();
                layer.put("type", n.layer().type());
                layer.put("config", new LinkedHashMap<>(n.layer().config()));
                spec.put("layer", layer);
            } else {
                spec.putAll(n.merge().config());
            }
            specs.add(spec);
        }
        List<Object> outs = new ArrayList<>();
        for (int o : outputs) {
            outs.add(nodes.get(o).name());
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("input", inputName);
        c.put("nodes", specs);
        c.put("outputs", outs);
        return c;
    }

    static Graph read(Map<String, ?> config) {
        GraphBuilder b = new GraphBuilder(string(config, "input", "graph"));
        for (Object o : list(config, "nodes", "graph")) {
            if (!(o instanceof Map<?, ?> raw)) {
                throw new IllegalArgumentException("graph: a node is not an object: " + o);
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> spec = (Map<String, ?>) raw;
            String name = string(spec, "name", "graph node");
            String where = "graph node '" + name + "'";
            String op = string(spec, "op", where);
            String[] inputs = strings(list(spec, "inputs", where), where);
            if (op.equals("layer")) {
                b.node(name, layer(spec.get("layer"), where), null, inputs);
            } else {
                b.node(name, null, Merge.of(op, spec, name), inputs);
            }
        }
        b.outputs(strings(list(config, "outputs", "graph"), "graph outputs"));
        return b.build();
    }

    private static Layer layer(Object o, String where) {
        if (!(o instanceof Map<?, ?> raw)) {
            throw new IllegalArgumentException(where + ": 'layer' must be an object with 'type' and 'config', got " + o);
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> spec = (Map<String, ?>) raw;
        Object config = spec.get("config");
        if (config != null && !(config instanceof Map)) {
            throw new IllegalArgumentException(where + ": the layer's 'config' must be an object, got " + config);
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> c = config == null ? Map.of() : (Map<String, ?>) config;
        return LayerRegistry.create(string(spec, "type", where + "'s layer"), c);
    }

    private static String string(Map<String, ?> m, String key, String where) {
        if (!(m.get(key) instanceof String s)) {
            throw new IllegalArgumentException(where + ": '" + key + "' must be a string, got " + m.get(key));
        }
        return s;
    }

    private static List<?> list(Map<String, ?> m, String key, String where) {
        if (!(m.get(key) instanceof List<?> l)) {
            throw new IllegalArgumentException(where + ": '" + key + "' must be a list, got " + m.get(key));
        }
        return l;
    }

    private static String[] strings(List<?> l, String where) {
        String[] s = new String[l.size()];
        for (int i = 0; i < s.length; i++) {
            if (!(l.get(i) instanceof String v)) {
                throw new IllegalArgumentException(where + ": names must be strings, got " + l.get(i));
            }
            s[i] = v;
        }
        return s;
    }
}
