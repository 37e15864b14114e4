/**
 * The {@code dendrite} command: one picocli subcommand per class ({@link dendrite.cli.Main} lists
 * them: train, eval, predict, summary, sample, gradcheck, bench, backends).
 *
 * <p>The pieces: {@code DataSource} reads {@code --dataset}; {@code ModelOptions} turns the model
 * options into nn-core objects; {@code ConsoleListener} and {@code EpochProgress} show training;
 * {@code Charts} draws the PNGs with XChart; {@code ModelStore} and {@code ModelInfo} keep what
 * {@code eval} and {@code predict} need in the model file's metadata; {@code OutputFolder} refuses
 * to overwrite without {@code --force}. Errors the user can fix are printed by
 * {@code OneLineErrors} as one line on stderr with a non-zero exit code; {@code --verbose} adds
 * the stack trace.
 */
package dendrite.cli;
