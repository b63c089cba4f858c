package accelmm.cli;

/** Bad input on the command line: printed as one line {@code accelmm: message}, exit code 2. */
final class CliError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CliError(String message) {
        super(message, null, false, false);
    }
}
