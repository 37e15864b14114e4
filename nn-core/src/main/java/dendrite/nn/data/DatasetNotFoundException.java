package dendrite.nn.data;

import java.io.IOException;

/**
 * A dataset's files are not where they were looked for. The message says where the loader
 * looked, which files it expected, and how to get them (e.g. which Debian package to install).
 */
public final class DatasetNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    public DatasetNotFoundException(String message) {
        super(message);
    }
}
