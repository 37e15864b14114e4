/**
 * The {@code dendrite} command: one picocli subcommand per class. Errors the user can fix
 * are printed as one line on stderr with a non-zero exit code; {@code --verbose} adds the
 * stack trace.
 */
package dendrite.cli;
