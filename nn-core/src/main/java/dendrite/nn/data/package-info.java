/**
 * Datasets on the host, as float arrays; tensors are made from them one mini-batch at a time.
 *
 * <ul>
 *   <li>{@link dendrite.nn.data.Dataset}: samples, their shape and their targets.</li>
 *   <li>Readers: {@link dendrite.nn.data.CsvReader} (header, columns by name or index, class,
 *       one-hot or regression targets) and {@link dendrite.nn.data.MnistFolder} (MNIST's IDX
 *       format, raw or gzip). Both refuse bad content with one exception type,
 *       {@link dendrite.nn.data.DatasetFormatException}, naming the file and the byte offset or
 *       line and column; NaN and infinity are refused when data is loaded.</li>
 *   <li>Ready sets: {@link dendrite.nn.data.Digits} (embedded in the jar),
 *       {@link dendrite.nn.data.FashionMnist}, {@link dendrite.nn.data.MnistFolder} and
 *       {@link dendrite.nn.data.Cifar10Folder} (installed files), {@link dendrite.nn.data.Synthetic}
 *       (generated from a seed).</li>
 *   <li>Preparation: {@link dendrite.nn.data.Splits} (seeded, optionally stratified),
 *       {@link dendrite.nn.data.Scaler} (fitted on the training part only) and
 *       {@link dendrite.nn.data.MiniBatches} (a seeded permutation per epoch);
 *       {@link dendrite.nn.data.ImageAugmentation} (random crops and flips, afresh every batch).</li>
 *   <li>Sequences: {@link dendrite.nn.data.TimeSeries} and {@link dendrite.nn.data.TextCorpus} cut
 *       into windows, and {@link dendrite.nn.data.StatefulBatches} into consecutive chunks for a
 *       stateful recurrent model.</li>
 * </ul>
 *
 * <pre>{@code
 * DataSplit s = Splits.stratified(Digits.load(), 0.1, 0.2, 42);
 * Scaler scaler = Scaler.standardize(s.train());
 * Dataset train = scaler.transform(s.train()), test = scaler.transform(s.test());
 * }</pre>
 *
 * The embedded digits' source and licence are in {@code nn-core/DATASETS.md}.
 */
package dendrite.nn.data;
