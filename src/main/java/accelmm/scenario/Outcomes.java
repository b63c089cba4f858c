package accelmm.scenario;

import accelmm.mm.Errno;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The results a statement may have ({@code => ok|EFAULT}), or that an expectation compares a
 * bound value with ({@code expect f == ok|EFAULT}). A statement without {@code =>} must succeed.
 *
 * @param success   {@code ok} is allowed
 * @param anyError  {@code error} is allowed: every errno
 * @param errnos    the errnos named
 */
public record Outcomes(boolean success, boolean anyError, Set<Errno> errnos) implements Value {

    /** What a statement without {@code =>} expects: {@code ok}. */
    public static final Outcomes SUCCESS = new Outcomes(true, false, Set.of());

    public Outcomes {
        EnumSet<Errno> copy = EnumSet.noneOf(Errno.class);
        copy.addAll(errnos);
        errnos = Collections.unmodifiableSet(copy);
    }

    /** Whether a call that failed with {@code errno} meets this expectation. */
    public boolean allows(Errno errno) {
        return anyError || errnos.contains(errno);
    }

    /** {@code ok|EFAULT|error}: ok first, errnos in numeric order, error last. */
    @Override
    public String toString() {
        List<String> words = new ArrayList<>();
        if (success) {
            words.add("ok");
        }
        errnos.forEach(e -> words.add(e.name()));
        if (anyError) {
            words.add("error");
        }
        return String.join("|", words);
    }
}
