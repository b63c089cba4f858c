package accelmm.scenario;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" suggestions and word lists for error messages. */
final class Suggest {

    private Suggest() {
    }

    /**
     * {@code " (did you mean 'x'?)"} for the candidate closest to {@code word} by edit distance
     * (ignoring case), or the empty string when none is close. Words of one or two characters
     * only match a different case ({@code a} is not a typo of {@code b}). The first of equally
     * close candidates wins, so the suggestion is deterministic.
     */
    static String didYouMean(String word, Collection<String> candidates) {
        return closest(word, candidates).map(c -> " (did you mean '" + c + "'?)").orElse("");
    }

    static Optional<String> closest(String word, Collection<String> candidates) {
        return closest(word, candidates, Math.min(3, word.length() / 3));
    }

    /**
     * The closest of the names a scenario binds, which are short ({@code fd}, {@code bo},
     * {@code vm}): as {@link #closest}, but a name of two or more characters may be one edit off
     * ({@code bf} for {@code bo}); one character still only matches a different case.
     */
    static Optional<String> closestName(String word, Collection<String> candidates) {
        return closest(word, candidates, word.length() < 2 ? 0 : Math.max(1, Math.min(3, word.length() / 3)));
    }

    private static Optional<String> closest(String word, Collection<String> candidates, int limit) {
        String w = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(w, candidate.toLowerCase(Locale.ROOT));
            if (d <= limit && d < bestDistance && !candidate.equals(word)) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code "a, b or c"}. */
    static String oneOf(Collection<String> words) {
        return joined(words, " or ");
    }

    /** {@code a, b and c}. */
    static String allOf(Collection<String> words) {
        return joined(words, " and ");
    }

    private static String joined(Collection<String> words, String last) {
        List<String> list = new ArrayList<>(words);
        if (list.size() == 1) {
            return list.get(0);
        }
        return String.join(", ", list.subList(0, list.size() - 1)) + last + list.get(list.size() - 1);
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
