/**
 * Model files: safetensors with the architecture in its metadata, saved atomically (temporary file,
 * sync, rename: a crash leaves the old file or the new one).
 *
 * <ul>
 *   <li>{@link dendrite.nn.io.ModelFile}: save a {@code Sequential} and load it back with no code,
 *       or load weights PyTorch wrote (names as {@code nn.Sequential.state_dict()}: {@code 0.weight}, ...).</li>
 *   <li>{@link dendrite.nn.io.CheckpointFile}: model plus optimizer state, step, epoch, the learning-rate
 *       schedule's state and the dropout layers' random state, to resume training exactly where it
 *       stopped; {@code CheckpointFile.saver(path)} plugs into {@code Trainer.Builder.checkpointEvery}.</li>
 *   <li>{@link dendrite.nn.io.SafeTensors}: the format itself, read strictly and written as the
 *       reference implementation writes it.</li>
 *   <li>{@link dendrite.nn.io.SavedModel}: a model loaded with its {@link dendrite.nn.io.Preprocessing}
 *       (input scaler, class names, target scaler), predicting from raw features;
 *       {@link dendrite.nn.io.SavedPredictor} is the same prepared for serving (weights packed once).</li>
 * </ul>
 * Every reader throws one exception type for bad content, {@link dendrite.nn.io.ModelFormatException},
 * naming the file, the tensor where one is at fault, and the problem; nothing is half-loaded, and a
 * model file's tensors are checked against the shapes its architecture declares before any weight is
 * allocated, so a header claiming huge layers costs nothing.
 */
package dendrite.nn.io;
