/**
 * ONNX import: reads a model file that {@code torch.onnx.export} wrote and builds the equivalent
 * {@link dendrite.nn.Sequential} on a backend (see {@link dendrite.onnx.OnnxImport}), and ONNX export:
 * writes a Sequential as an ONNX file for other runtimes (see {@link dendrite.onnx.OnnxExport}).
 */
module dendrite.onnx {
    requires transitive dendrite.nn;
    requires com.google.protobuf;
    exports dendrite.onnx;
}
