package accelmm.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in catalog: scenarios shipped in the jar under {@code accelmm/catalog/}, listed in
 * its {@code INDEX} file in presentation order (one file name per line, {@code #} comments).
 */
public final class Catalog {

    private static final String DIR = "/accelmm/catalog/";

    /** One built-in scenario: its name (the file name without {@code .scn}) and its text. */
    public record Entry(String name, byte[] bytes) {
        public String fileName() {
            return "catalog/" + name + ".scn";
        }

        /** Parsed and checked for running. */
        public Scenario scenario() {
            return ModelCoverage.parse(fileName(), bytes);
        }

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private Catalog() {
    }

    /** Every entry, in INDEX order. */
    public static List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (String line : new String(resource("INDEX"), StandardCharsets.UTF_8).split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                out.add(new Entry(name, resource(name + ".scn")));
            }
        }
        return out;
    }

    /** The entry called {@code name}, or null. */
    public static Entry find(String name) {
        for (Entry e : entries()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static byte[] resource(String name) {
        try (InputStream in = Catalog.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("catalog resource missing: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
