package accelmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The model must be a function of (scenario, designs, schedule): no wall clock, no unseeded
 * randomness, no iteration order of hash-based collections. This test scans the model's
 * sources for the constructs that would break that.
 */
class DeterminismGuardTest {

    /** Layers that run inside a simulation; the CLI and reports may read the clock. */
    private static final List<String> MODEL_PACKAGES =
            List.of("sim", "mm", "dmabuf", "drm", "rdma", "accel", "debug", "virt");

    private static final Pattern BANNED = Pattern.compile(
            "\\bnew HashMap\\b|\\bnew HashSet\\b|\\bHashMap<|\\bHashSet<|Math\\.random|new Random\\("
                    + "|ThreadLocalRandom|System\\.currentTimeMillis|System\\.nanoTime|Instant\\.now"
                    + "|LocalDateTime\\.now|Thread\\.sleep|identityHashCode");

    @Test
    void modelSources_useNoClockRandomnessOrHashOrder() throws IOException {
        List<String> offences = new ArrayList<>();
        for (String pkg : MODEL_PACKAGES) {
            Path dir = Path.of("src/main/java/accelmm", pkg);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        if (BANNED.matcher(lines.get(i)).find()) {
                            offences.add(f + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        assertThat(offences).isEmpty();
    }

    @Test
    void guard_detectsABannedConstruct() {
        assertThat(BANNED.matcher("Map<Integer, File> m = new HashMap<>();").find()).isTrue();
        assertThat(BANNED.matcher("long t = System.nanoTime();").find()).isTrue();
        assertThat(BANNED.matcher("Map<Integer, File> m = new LinkedHashMap<>();").find()).isFalse();
    }
}
