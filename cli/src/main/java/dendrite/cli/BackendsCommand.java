package dendrite.cli;

import dendrite.tensor.Backends;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dendrite backends}: every backend found, available or not and why, and the one chosen. */
@Command(name = "backends", description = "List the backends found, whether each can run here and why, and which is chosen.")
final class BackendsCommand implements Callable<Integer> {

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() {
        // A backend named with -Ddendrite.backend / DENDRITE_BACKEND that is unknown or cannot run
        // is an error: one line naming the known backends (or the reason), not a report.
        if (Backends.requestedName() != null) {
            Backends.get();
        }
        System.out.println(Backends.report());
        return 0;
    }
}
