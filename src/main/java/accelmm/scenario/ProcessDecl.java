package accelmm.scenario;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code process NAME [uid=N] [caps=CAP[,CAP]]}: a process that exists from the start. (A
 * process created by {@code fork} has no declaration; it inherits its parent's credentials.)
 *
 * @param uid  1000 unless given
 * @param caps the capabilities held
 */
public record ProcessDecl(Position position, String name, int uid, Set<Capability> caps) {

    public static final int DEFAULT_UID = 1000;

    public ProcessDecl {
        EnumSet<Capability> copy = EnumSet.noneOf(Capability.class);
        copy.addAll(caps);
        caps = Collections.unmodifiableSet(copy);
    }

    /** The capabilities a scenario can grant: {@code CAP_SYS_PTRACE}, {@code CAP_SYS_ADMIN}. */
    public enum Capability {
        SYS_PTRACE, SYS_ADMIN;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
