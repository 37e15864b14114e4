/**
 * Models: {@code Sequential} and its builder, the entry point for building, training and saving a network.
 */
package dendrite.nn;
