package dendrite.nn.data;

import java.io.IOException;

/**
 * A dataset's files are not where they were looked for. The message says where the loader
 * looked, which files it expected, and how to get them (e.g. which Debian package to install).
 */
public final class DatasetNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with its whole message.
     *
     * @param message what was looked for and where, the files expected, and how to get them
     */
    public DatasetNotFoundException(String message) {
        super(message);
    }
}
