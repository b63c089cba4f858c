package accelmm.report;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Command lines printed for copying into a POSIX shell ({@code replay: bin/accelmm replay ...}):
 * a word made only of characters no shell treats specially is written as it is, so ordinary
 * lines read as typed; any other word is single-quoted, so that a scenario file named
 * {@code race; rm -rf x.scn}, or a schedule's {@code *}, reaches accelmm as one argument and
 * runs nothing.
 */
public final class ShellWords {

    private ShellWords() {
    }

    /** The words joined by spaces, each {@linkplain #quote quoted} as it needs. */
    public static String join(List<String> words) {
        return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    }

    /**
     * {@code word} as one shell word: as it is when every character is a letter, digit or one of
     * {@code _ - . , / : = + @ %} and it does not start with {@code =} (zsh expands that), else
     * in single quotes, each {@code '} written {@code '\''}. Quotes keep control characters
     * literal; the terminal escape of the printed line shows them.
     */
    public static String quote(String word) {
        if (!word.isEmpty() && word.charAt(0) != '=' && word.chars().allMatch(ShellWords::plain)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static boolean plain(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "_-.,/:=+@%".indexOf(c) >= 0;
    }
}
