package dendrite.nn;

import dendrite.nn.layers.Configs;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.LayerRegistry;
import dendrite.nn.layers.Parameter;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A layer stack's state as data: the state dict (parameters and buffers named
 * {@code <layer index>.<name>}, as PyTorch's {@code nn.Sequential} names them), the layers' random
 * streams, and the architecture (types and hyperparameters). {@link Sequential} exposes these; this
 * class holds how they are gathered and put back.
 */
final class ModelState {
    private ModelState() {
    }

    /** For each layer in order, its parameters then its buffers, as {@code <index>.<name>}; live tensors. */
    static Map<String, Tensor> stateDict(List<Layer> layers) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Parameter p : layers.get(i).parameters()) {
                state.put(i + "." + p.name(), p.value());
            }
            for (Map.Entry<String, Tensor> b : layers.get(i).buffers().entrySet()) {
                state.put(i + "." + b.getKey(), b.getValue());
            }
        }
        return state;
    }

    /** Checks every entry before writing any, so a mismatched state leaves the model unchanged. */
    static void loadStateDict(List<Layer> layers, Map<String, float[]> values) {
        Map<String, Tensor> state = stateDict(layers);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            float[] v = values.get(e.getKey());
            if (v == null) {
                problems.add("missing " + e.getKey() + " " + e.getValue().shape());
            } else if (v.length != e.getValue().size()) {
                problems.add(e.getKey() + " has " + v.length + " values, the model's " + e.getValue().shape()
                        + " needs " + e.getValue().size());
            }
        }
        for (String name : new TreeSet<>(values.keySet())) {
            if (!state.containsKey(name)) {
                problems.add("unexpected " + name);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: " + String.join("; ", problems));
        }
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            e.getValue().copyFrom(values.get(e.getKey()));
        }
    }

    /**
     * Loads the entries whose names the model has (PyTorch's {@code strict=False}); a wrongly sized
     * entry is still refused, before anything is written.
     */
    static StateDictLoad loadMatching(List<Layer> layers, Map<String, float[]> values) {
        Map<String, Tensor> state = stateDict(layers);
        List<String> loaded = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            float[] v = values.get(e.getKey());
            if (v == null) {
                missing.add(e.getKey());
            } else if (v.length != e.getValue().size()) {
                problems.add(e.getKey() + " has " + v.length + " values, the model's " + e.getValue().shape()
                        + " needs " + e.getValue().size());
            } else {
                loaded.add(e.getKey());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: " + String.join("; ", problems));
        }
        List<String> unexpected = new ArrayList<>(new TreeSet<>(values.keySet()));
        unexpected.removeAll(state.keySet());
        for (String name : loaded) {
            state.get(name).copyFrom(values.get(name));
        }
        return new StateDictLoad(loaded, missing, unexpected);
    }

    /** Every layer's random state, named like the state dict. */
    static Map<String, Long> randomState(List<Layer> layers) {
        Map<String, Long> state = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Map.Entry<String, Long> e : layers.get(i).randomState().entrySet()) {
                state.put(i + "." + e.getKey(), e.getValue());
            }
        }
        return state;
    }

    /** Takes back what {@link #randomState} gave; all or nothing. */
    static void restoreRandomState(List<Layer> layers, Map<String, Long> state) {
        Map<String, Long> before = randomState(layers);
        if (!before.keySet().equals(state.keySet())) {
            TreeSet<String> missing = new TreeSet<>(before.keySet());
            missing.removeAll(state.keySet());
            TreeSet<String> unexpected = new TreeSet<>(state.keySet());
            unexpected.removeAll(before.keySet());
            throw new IllegalArgumentException("restoreRandomState: " + (missing.isEmpty() ? "" : "missing " + missing
                    + (unexpected.isEmpty() ? "" : "; ")) + (unexpected.isEmpty() ? "" : "unexpected " + unexpected));
        }
        try {
            restoreEachLayer(layers, state);
        } catch (IllegalArgumentException e) {
            restoreEachLayer(layers, before);   // a later layer refused: undo the earlier ones
            throw new IllegalArgumentException("restoreRandomState: " + e.getMessage(), e);
        }
    }

    private static void restoreEachLayer(List<Layer> layers, Map<String, Long> state) {
        for (int i = 0; i < layers.size(); i++) {
            Map<String, Long> mine = new LinkedHashMap<>();
            for (String name : layers.get(i).randomState().keySet()) {
                mine.put(name, state.get(i + "." + name));
            }
            if (!mine.isEmpty()) {
                layers.get(i).restoreRandomState(mine);
            }
        }
    }

    /** The input shape and each layer's type and config, ready for JSON. */
    static Map<String, Object> architecture(Shape inputShape, List<Layer> layers) {
        List<Object> specs = new ArrayList<>();
        for (Layer l : layers) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("type", l.type());
            spec.put("config", new LinkedHashMap<>(l.config()));
            specs.add(spec);
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("input_shape", Configs.list(inputShape.dims()));
        a.put("layers", specs);
        return a;
    }

    /** The layers {@link #architecture} data describes, each made by its {@link LayerRegistry} factory. */
    @SuppressWarnings("unchecked")
    static Sequential.Builder builderFromArchitecture(Map<String, ?> architecture) {
        Sequential.Builder b = Sequential.builder(Configs.intsValue(architecture, "sequential", "input_shape"));
        Object layers = architecture.get("layers");
        if (!(layers instanceof List<?> list)) {
            throw new IllegalArgumentException("architecture has no 'layers' list: " + architecture);
        }
        for (Object o : list) {
            Map<String, ?> spec = (Map<String, ?>) o;
            Object config = spec.get("config");
            b.add(LayerRegistry.create(String.valueOf(spec.get("type")),
                    config == null ? Map.of() : (Map<String, ?>) config));
        }
        return b;
    }
}
