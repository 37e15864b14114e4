/**
 * ONNX import: {@link dendrite.onnx.OnnxImport#load(java.nio.file.Path, dendrite.tensor.Backend)} reads
 * an ONNX model file, such as {@code torch.onnx.export} writes for a PyTorch model, and builds the
 * equivalent {@link dendrite.nn.Sequential} with the file's weights.
 *
 * <p>Supported: chains of layers and graphs that branch and merge again (residual additions, gates,
 * concatenations; each such part a {@link dendrite.nn.graph.Graph} layer of the model), of the
 * operators listed in {@link dendrite.onnx.OnnxImport}. Anything else
 * is refused with an {@link dendrite.onnx.OnnxImportException} that names the file, the node and
 * what is not supported.
 *
 * <p>ONNX export: {@link dendrite.onnx.OnnxExport#save(dendrite.nn.Sequential, java.nio.file.Path)} writes a
 * model as an ONNX file for other runtimes (ONNX Runtime and others), in inference mode, with the
 * layers nn-core has (see {@link dendrite.onnx.OnnxExport}); a model file's input scaling can go in with it.
 */
package dendrite.onnx;
