/**
 * ONNX import: reads a model file that {@code torch.onnx.export} wrote and builds the equivalent
 * {@link dendrite.nn.Sequential} on a backend. See {@link dendrite.onnx.OnnxImport}.
 */
module dendrite.onnx {
    requires transitive dendrite.nn;
    requires com.google.protobuf;
    exports dendrite.onnx;
}
