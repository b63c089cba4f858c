/**
 * The command line: {@code bin/accelmm} runs {@link accelmm.cli.Main}, whose subcommands are
 * {@code run}, {@code check}, {@code replay}, {@code catalog}, {@code demo} and {@code merge}.
 *
 * <p>Everything a command prints goes through a {@code Terminal}: control characters that came
 * from a scenario are written as visible escapes, and a write that fails (a full disk, a closed
 * pipe) ends the command with exit 2 instead of being lost. Input files are read with a bound
 * ({@link accelmm.scenario.InputFiles}).
 *
 * <p>Top layer (with {@code accelmm.scenario} and {@code accelmm.report}): may use every
 * layer below; nothing below may use it.
 */
package accelmm.cli;
