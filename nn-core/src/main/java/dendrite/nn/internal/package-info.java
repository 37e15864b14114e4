/**
 * nn-core's own helpers, not part of its API: a strict JSON reader and writer, atomic file
 * writes, the CSV tokenizer and table behind {@code CsvReader}, strict gzip and UTF-8 decoding that refuse
 * corrupt input, the IDX reader behind {@code MnistFolder}, and an IDX writer (for tests and tools).
 *
 * <p>Not exported by the module: on the module path nothing outside nn-core can use these classes,
 * and on the class path they carry no compatibility promise. Applications use the public readers
 * ({@code dendrite.nn.data.CsvReader}, {@code MnistFolder}) and model files
 * ({@code dendrite.nn.io.ModelFile}) instead.
 */
package dendrite.nn.internal;
