package dendrite.cli;

/**
 * Input the user can fix (a wrong option value, a file in the way, a model that does not fit
 * the data): its message is the whole story, printed as one line by {@link OneLineErrors}.
 */
final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
        super(message);
    }

    BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
