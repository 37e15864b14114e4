package dendrite.backend.vector;

import dendrite.tensor.Availability;
import dendrite.tensor.Backends;

/**
 * Run by {@link VectorProbeTest} in a child JVM started without
 * {@code --add-modules jdk.incubator.vector}: prints what the vector probe says, whether the
 * incubator module got loaded anyway, and which backend the automatic choice picks.
 */
public final class ProbeWithoutModuleMain {
    private ProbeWithoutModuleMain() {
    }

    public static void main(String[] args) {
        Availability a = new VectorBackendProvider().probe();
        System.out.println("available=" + a.available());
        System.out.println("explain=" + a.explain());
        System.out.println("incubatorLoaded=" + ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        System.out.println("chosen=" + Backends.get().name());
    }
}
