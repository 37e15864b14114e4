package dendrite.tensor.spi;

/**
 * A tensor's memory as a kernel sees it: the {@link Storage} and the element at which the tensor
 * starts in it (a view made by {@code rows()} starts part-way in). The front hands kernels slices,
 * never tensors, so a kernel gets exactly what it may touch; the sizes come as separate
 * arguments, already checked.
 *
 * <p>Each tensor makes its slice once, when it is made, so passing one to a kernel allocates
 * nothing.
 *
 * @param storage the memory, of the backend whose kernel receives it
 * @param offset  where the tensor's first element is, in elements from the start of the storage
 */
public record Slice(Storage storage, int offset) {
}
