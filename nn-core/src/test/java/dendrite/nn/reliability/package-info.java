/**
 * Tests of the reliability promises (issue 8), each written to fail if its promise is broken:
 * bad numbers caught where they start ({@code BadNumbersTest}), shape errors that name the place
 * ({@code ShapeErrorsTest}), shared models safe to read ({@code SharedModelTest}), no leaks under
 * load ({@code SoakTest}) and whole checkpoints after a crash during training
 * ({@code CheckpointCrashTest}). The parser fuzzing and the crash-during-save test live beside the
 * code they test, in {@code dendrite.nn.data} and {@code dendrite.nn.io}; the README's
 * "Reliability" section lists them all.
 */
package dendrite.nn.reliability;
