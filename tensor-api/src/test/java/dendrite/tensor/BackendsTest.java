package dendrite.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.conformance.StorageOnlyKernels;
import dendrite.tensor.spi.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The selection rules of {@link Backends}, run on providers made here (through its package-private
 * {@code rank}, {@code choose} and {@code select}, which take the providers instead of asking
 * {@link java.util.ServiceLoader}).
 */
class BackendsTest {

    /** A provider with a fixed answer; its backend is a {@link StorageOnlyKernels} of its name. */
    private record FakeProvider(String name, int priority, Availability availability, boolean createFails)
            implements BackendProvider {
        static FakeProvider available(String name, int priority) {
            return new FakeProvider(name, priority, Availability.available("fake"), false);
        }

        static FakeProvider unavailable(String name, int priority, String reason, String fix) {
            return new FakeProvider(name, priority, Availability.unavailable(reason, fix), false);
        }

        @Override
        public Availability probe() {
            return availability;
        }

        @Override
        public Kernels create() {
            if (createFails) {
                throw new IllegalStateException(name + " cannot open its device");
            }
            return new StorageOnlyKernels(name);
        }
    }

    private static final Function<Backends.Candidate, Backend> CREATE = c -> Backend.of(c.provider().create());

    private static List<String> names(List<Backends.Candidate> candidates) {
        return candidates.stream().map(Backends.Candidate::name).toList();
    }

    @Test
    void candidatesAreSortedByPriorityBestFirst() {
        List<Backends.Candidate> ranked = Backends.rank(List.of(
                FakeProvider.available("scalar", 100),
                FakeProvider.unavailable("opencl", 400, "no GPU", ""),
                FakeProvider.available("vector", 300)));
        assertEquals(List.of("opencl", "vector", "scalar"), names(ranked));
        assertFalse(ranked.get(0).availability().available());
    }

    @Test
    void theFirstProviderOfANameWinsIgnoringCase() {
        FakeProvider first = FakeProvider.available("Vector", 300);
        List<Backends.Candidate> ranked = Backends.rank(List.of(first, FakeProvider.available("vector", 999)));
        assertEquals(1, ranked.size());
        assertSame(first, ranked.get(0).provider());
    }

    @Test
    void aProbeThatThrowsOrReturnsNothingMakesItUnavailableWithTheReason() {
        BackendProvider silent = new FakeProvider("broken", 500, null, false);   // probe() returns null
        List<Backends.Candidate> ranked = Backends.rank(List.of(
                new BackendProvider() {
                    @Override
                    public String name() {
                        return "throws";
                    }

                    @Override
                    public int priority() {
                        return 1;
                    }

                    @Override
                    public Availability probe() {
                        throw new UnsatisfiedLinkError("no libOpenCL.so");
                    }

                    @Override
                    public Kernels create() {
                        throw new AssertionError("never created");
                    }
                },
                silent));
        assertEquals(List.of("broken", "throws"), names(ranked));
        assertFalse(ranked.get(0).availability().available());
        assertTrue(ranked.get(0).availability().detail().contains("nothing"), ranked.get(0).availability().detail());
        assertTrue(ranked.get(1).availability().detail().contains("no libOpenCL.so"), ranked.get(1).availability().detail());
    }

    @Test
    void theAutomaticChoiceIsTheBestAvailable() {
        List<Backends.Candidate> ranked = Backends.rank(List.of(
                FakeProvider.available("scalar", 100),
                FakeProvider.unavailable("opencl", 400, "no GPU", "install a driver"),
                FakeProvider.available("vector", 300)));
        assertEquals("vector", Backends.choose(ranked, null, CREATE).name());
    }

    @Test
    void aBackendThatFailsToStartIsSkippedForTheNext() {
        List<Backends.Candidate> ranked = Backends.rank(List.of(
                new FakeProvider("opencl", 400, Availability.available("GPU"), true),
                FakeProvider.available("scalar", 100)));
        List<String> tried = new ArrayList<>();
        Backend chosen = Backends.choose(ranked, null, c -> {
            tried.add(c.name());
            return Backend.of(c.provider().create());
        });
        assertEquals("scalar", chosen.name());
        assertEquals(List.of("opencl", "scalar"), tried);
    }

    @Test
    void withNothingAvailableTheErrorListsEveryReason() {
        List<Backends.Candidate> ranked = Backends.rank(List.of(
                FakeProvider.unavailable("vector", 300, "module jdk.incubator.vector is not readable",
                        "add --add-modules jdk.incubator.vector"),
                new FakeProvider("opencl", 400, Availability.available("GPU"), true)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.choose(ranked, null, CREATE));
        String m = e.getMessage();
        assertTrue(m.contains("jdk.incubator.vector is not readable") && m.contains("--add-modules"), m);
        assertTrue(m.contains("opencl") && m.contains("cannot open its device"), m);
        assertTrue(m.contains("backend-scalar"), "says what to add: " + m);
    }

    @Test
    void aRequestedNameIsUsedEvenIfABetterOneIsAvailable() {
        List<Backends.Candidate> ranked = Backends.rank(List.of(
                FakeProvider.available("vector", 300), FakeProvider.available("scalar", 100)));
        assertEquals("scalar", Backends.choose(ranked, "scalar", CREATE).name());
        assertEquals("scalar", Backends.select(ranked, " Scalar ", CREATE).name(), "names are trimmed, any case");
    }

    /** A provider that names itself with capitals is found by any case, as the probe finds it. */
    @Test
    void aProviderNamedWithCapitalsIsFoundByItsNameInAnyCase() {
        List<Backends.Candidate> ranked = Backends.rank(List.of(FakeProvider.available("MyGPU", 300)));
        assertEquals("MyGPU", Backends.select(ranked, "mygpu", CREATE).name());
    }

    @Test
    void aRequestedBackendThatIsUnavailableFailsWithItsReasonAndNeverFallsBack() {
        List<Backends.Candidate> ranked = Backends.rank(List.of(
                FakeProvider.unavailable("opencl", 400, "no OpenCL platform", "install pocl-opencl-icd"),
                FakeProvider.available("scalar", 100)));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Backends.choose(ranked, "opencl", CREATE));
        assertTrue(e.getMessage().contains("'opencl' is unavailable: no OpenCL platform; fix: install pocl-opencl-icd"),
                e.getMessage());
    }

    @Test
    void aRequestedBackendThatFailsToStartFailsAndNeverFallsBack() {
        List<Backends.Candidate> ranked = Backends.rank(List.of(
                new FakeProvider("opencl", 400, Availability.available("GPU"), true),
                FakeProvider.available("scalar", 100)));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Backends.select(ranked, "opencl", CREATE));
        assertTrue(e.getMessage().contains("'opencl' failed to start") && e.getMessage().contains("cannot open its device"),
                e.getMessage());
    }

    @Test
    void anUnknownNameFailsListingTheKnownOnesWithADidYouMean() {
        List<Backends.Candidate> ranked = Backends.rank(List.of(
                FakeProvider.available("vector", 300), FakeProvider.available("scalar", 100)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.select(ranked, "vectr", CREATE));
        assertEquals("unknown backend 'vectr' (did you mean 'vector'?); known backends: vector, scalar", e.getMessage());
        IllegalArgumentException far = assertThrows(IllegalArgumentException.class,
                () -> Backends.select(ranked, "cuda-tensor-cores", CREATE));
        assertFalse(far.getMessage().contains("did you mean"), "no suggestion for a name far from all: " + far.getMessage());
        assertTrue(far.getMessage().contains("vector, scalar"), far.getMessage());
    }

    @Test
    void anUnknownNameWithNoProvidersSaysSo() {
        assertEquals("unknown backend 'scalar'; known backends: none on the class path",
                Backends.unknownMessage("scalar", List.of()));
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, Backends.editDistance("scalar", "scalar"));
        assertEquals(1, Backends.editDistance("vectr", "vector"));
        assertEquals(1, Backends.editDistance("opencl", "opencv"));
        assertEquals(2, Backends.editDistance("sclaar", "scalar"));
        assertEquals(6, Backends.editDistance("", "opencl"));
    }

    @Test
    void withNoProvidersOnTheClassPathTheReportSaysWhatToAdd() {
        // tensor-api's own tests have no backend on the class path (the test-jar registers none).
        assertEquals(List.of(), Backends.names());
        assertTrue(Backends.report().contains("none found on the class path"), Backends.report());
    }

    @Test
    void theSharedInstanceSurvivesAUsersClose() {
        int[] closes = {0};
        Kernels kernels = new StorageOnlyKernels("device") {
            @Override
            public void close() {
                closes[0]++;
            }
        };
        Backend shared = Backend.shared(kernels);
        shared.close();
        shared.close();
        assertEquals(0, closes[0], "a shared backend is the process's: a user's close() leaves it running");
        assertTrue(shared.isShared());
        assertEquals(2f, shared.full(2f, 3).toArray()[2], "still usable after close()");

        Backend own = Backend.of(kernels);
        own.close();
        own.close();
        assertEquals(1, closes[0], "an owned backend closes its kernels once");
        assertFalse(own.isShared());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> own.zeros(2));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void namingABackendProbesThatOneAlone() {
        BackendProvider crashing = new BackendProvider() {
            @Override
            public String name() {
                return "opencl";
            }

            @Override
            public int priority() {
                return 400;
            }

            @Override
            public Availability probe() {
                throw new AssertionError("a named backend probed another one (whose driver may crash the VM)");
            }

            @Override
            public Kernels create() {
                throw new AssertionError("never created");
            }
        };
        Backends.Candidate c = Backends.probeOne(List.of(crashing, FakeProvider.available("Scalar", 100)), "scalar")
                .orElseThrow();
        assertEquals("Scalar", c.name());
        assertTrue(c.availability().available());
        assertTrue(Backends.probeOne(List.of(crashing), "vector").isEmpty(), "an unknown name probes nothing either");
    }
}
