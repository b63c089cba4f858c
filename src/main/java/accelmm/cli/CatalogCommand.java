package accelmm.cli;

import accelmm.report.TerminalText;
import accelmm.scenario.Catalog;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code accelmm catalog list|show NAME}: the built-in scenarios. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = {"List the built-in scenarios, or show one.", "Other commands take them as catalog/NAME."},
        footer = {"", "Examples:", "  accelmm catalog list", "  accelmm catalog show userptr-munmap-race",
            "  accelmm check catalog/userptr-munmap-race"})
final class CatalogCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "list|show", description = "list, or show NAME")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "the scenario to show")
    String name;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        switch (action) {
            case "list" -> {
                if (name != null) {
                    throw new CliError("catalog list takes no name");
                }
                int width = Catalog.entries().stream().mapToInt(e -> e.name().length()).max().orElse(10);
                for (Catalog.Entry e : Catalog.entries()) {
                    out.printf("%-" + width + "s  %s%n", e.name(), TerminalText.line(e.scenario().title()));
                }
            }
            case "show" -> {
                if (name == null) {
                    throw new CliError("catalog show needs a NAME (see accelmm catalog list)");
                }
                Catalog.Entry e = Catalog.find(name.replaceFirst("^catalog/", "").replaceFirst("\\.scn$", ""));
                if (e == null) {
                    throw new CliError("no built-in scenario '" + name + "' (see accelmm catalog list)");
                }
                out.print(e.text());
            }
            default -> throw new CliError("catalog takes list or show, got '" + action + "'");
        }
        out.flush();
        return Main.EXIT_OK;
    }
}
