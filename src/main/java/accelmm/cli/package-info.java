/**
 * The command line: {@code bin/accelmm} runs {@link accelmm.cli.Main}.
 *
 * <p>Today only {@code --version} and {@code --help} exist. The commands {@code run},
 * {@code check}, {@code replay}, {@code catalog} and {@code demo} arrive with the scenario
 * language, when a CLI library replaces this hand-written argument handling.
 *
 * <p>Top layer (with {@code accelmm.scenario} and {@code accelmm.report}): may use every
 * layer below; nothing below may use it.
 */
package accelmm.cli;
