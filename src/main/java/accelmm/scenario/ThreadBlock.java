package accelmm.scenario;

import java.util.List;
import java.util.Optional;

/**
 * {@code thread PROC.NAME [after EVENT]:} and its body. {@code PROC} is a declared process, a
 * process some {@code fork} creates, or {@code kernel} for kernel activity.
 *
 * @param afterEvent the event the thread waits for before it starts ({@code A.exit}, {@code ready})
 */
public record ThreadBlock(Position position, String process, String name, Optional<String> afterEvent,
        List<Statement> body) {

    /** The pseudo-process of kernel activity: {@code thread kernel.NAME}. */
    public static final String KERNEL = "kernel";

    public ThreadBlock {
        body = List.copyOf(body);
    }

    public boolean isKernel() {
        return process.equals(KERNEL);
    }

    /** {@code PROC.NAME}. */
    public String qualifiedName() {
        return process + "." + name;
    }
}
