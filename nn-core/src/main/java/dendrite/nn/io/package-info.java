/**
 * Model files: safetensors with the architecture in its metadata, saved atomically.
 */
package dendrite.nn.io;
