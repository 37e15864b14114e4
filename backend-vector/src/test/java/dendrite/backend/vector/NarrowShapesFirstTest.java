package dendrite.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every operation of the backend, run in a process that calls it on tensors narrower than a vector
 * first (a 3-class model, 3 x 3 images) and then on wide ones, allocates nothing in a steady wide
 * call. C2 compiles a Vector API call site that has never run (no receiver profile) into a call on
 * boxed vectors and does not compile it again when the wide shapes come: softmax, log-softmax, argmax
 * and GELU-tanh's derivative then allocated kilobytes on every later call, in every training step
 * (CHANGELOG.md has the sizes). Any kernel with a branch that some shapes never take can have it, so
 * the list of forms ({@link NarrowShapesFirstMain#forms()}) takes every constant of the operation
 * enums and every other operation of the front. Each child then runs its form large enough to be
 * split over the backend's threads, where a steady call must allocate nothing either: parts handed to
 * the pool as capturing lambdas were new objects on every call (a small transformer's training step
 * allocated 88 bytes so, in its attention's softmax).
 *
 * <p>A JVM of its own per form, since the order in which this JVM's other tests ran the kernels
 * decides what C2 compiled, with {@code -Xbatch}: compiled in the background, the old kernels boxed
 * in about half the runs, compiled as the calls reach the thresholds, in every run. The children run
 * as many at a time as there are processors, each started when the previous ones are done.
 */
class NarrowShapesFirstTest {
    private static final ExecutorService CHILDREN =
            Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));

    @TestFactory
    Stream<DynamicTest> wideShapesAllocateNothingAfterNarrowShapesWereCompiled() {
        List<String> forms = NarrowShapesFirstMain.forms();
        List<CompletableFuture<Child>> children =
                forms.stream().map(form -> CompletableFuture.supplyAsync(() -> Child.run(form), CHILDREN)).toList();
        return forms.stream().map(form -> DynamicTest.dynamicTest(form, () -> {
            Child child = children.get(forms.indexOf(form)).get(3, TimeUnit.MINUTES);
            assertTrue(child.finished, form + ": the child finished in 2 minutes\n" + child.output);
            assertEquals(0, child.exitValue, child.output);
            assertTrue(child.output.contains(form + ": width"), child.output);
        }));
    }

    @AfterAll
    static void stopChildren() {
        CHILDREN.shutdownNow();
    }

    /** One finished child JVM: whether it ended in time, its exit value and what it printed. */
    private record Child(boolean finished, int exitValue, String output) {
        static Child run(String form) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            try {
                Process p = new ProcessBuilder(List.of(java.toString(), "-Xbatch", "--add-modules",
                        "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                        NarrowShapesFirstMain.class.getName(), form)).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                boolean finished = p.waitFor(2, TimeUnit.MINUTES);
                if (!finished) {
                    p.destroyForcibly();
                }
                return new Child(finished, finished ? p.exitValue() : -1, out);
            } catch (IOException e) {
                return new Child(true, -1, form + ": could not start the child: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Child(false, -1, form + ": interrupted");
            }
        }
    }
}
