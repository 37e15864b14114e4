package dendrite.cli;

import dendrite.tensor.Backends;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dendrite backends}: every backend found, available or not and why, and the one chosen. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List the backends found, whether each can run here and why, and which is chosen.")
final class BackendsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Override
    public Integer call() {
        // A backend named with -Ddendrite.backend / DENDRITE_BACKEND that is unknown or cannot run
        // is an error: one line naming the known backends (or the reason), not a report.
        if (Backends.requestedName() != null) {
            Backends.get();
        }
        spec.commandLine().getOut().println(Backends.report());
        return 0;
    }
}
