/**
 * ONNX import: {@link dendrite.onnx.OnnxImport#load(java.nio.file.Path, dendrite.tensor.Backend)} reads
 * an ONNX model file, such as {@code torch.onnx.export} writes for a PyTorch {@code nn.Sequential},
 * and builds the equivalent {@link dendrite.nn.Sequential} with the file's weights.
 *
 * <p>Supported: graphs that are a straight chain of layers (each node takes the previous node's
 * output and constants), of the operators listed in {@link dendrite.onnx.OnnxImport}. Anything else
 * is refused with an {@link dendrite.onnx.OnnxImportException} that names the file, the node and
 * what is not supported.
 */
package dendrite.onnx;
