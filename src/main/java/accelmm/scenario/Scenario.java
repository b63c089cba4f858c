package accelmm.scenario;

import java.util.List;
import java.util.Optional;

/**
 * A parsed scenario file: what {@link Parser#parse} returns. Every list keeps file order.
 *
 * @param processes the declared processes (not those a {@code fork} creates)
 * @param fingerprint a short digest of the file's text: a shard's JSON and a replay token carry
 *                    it, so that a result is not combined with or replayed on another text
 */
public record Scenario(String fileName, String title, List<DesignLine> designs, List<Device> devices,
        List<ProcessDecl> processes, List<ThreadBlock> threads, List<Verdict> verdicts, String fingerprint) {

    public Scenario {
        designs = List.copyOf(designs);
        devices = List.copyOf(devices);
        processes = List.copyOf(processes);
        threads = List.copyOf(threads);
        verdicts = List.copyOf(verdicts);
    }

    public Optional<Device> device(String name) {
        return devices.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    public Optional<ProcessDecl> process(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
