package dendrite.tensor.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a piece of code allocates, from Flight Recorder's allocation samples: for a failing
 * allocation test, so that its message names the allocating methods instead of only a byte count.
 * The failures it explains depend on how the JIT compiled the kernels in that JVM, which a rerun
 * does not reproduce, so the diagnosis has to come from the failing run itself. In this test jar so
 * that nn-core's steady-step tests and the backends' warm-kernel tests share it; an interpreted frame
 * is marked {@code (i)}: code C2 never compiled.
 */
public final class AllocationSites {
    private static final int FRAMES = 6;
    private static final int SITES = 5;

    private AllocationSites() {
    }

    /**
     * The heaviest allocation sites of {@code work} on the threads {@code threadIds}, as lines to append
     * to a failure message. Other threads' samples are left out: Flight Recorder's own periodic
     * events and other tests' leftover threads allocate during the recording too.
     */
    public static String during(long[] threadIds, Runnable work) {
        java.util.Set<Long> threads = java.util.Arrays.stream(threadIds).boxed().collect(Collectors.toSet());
        Path file = null;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ObjectAllocationSample").withStackTrace().with("throttle", "10000/s");
            recording.start();
            work.run();
            recording.stop();
            file = Files.createTempFile("dendrite-allocations", ".jfr");
            recording.dump(file);
            Map<String, Long> weights = new HashMap<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (e.getStackTrace() == null || e.getThread() == null
                        || !threads.contains(e.getThread().getJavaThreadId())) {
                    continue;
                }
                List<RecordedFrame> frames = e.getStackTrace().getFrames();
                // The allocating frame, then Dendrite's callers: the JDK frames between them (the
                // Vector API's fallback can be ten deep) would push the Dendrite kernel out of view.
                String site = e.getClass("objectClass").getName() + " at " + Stream.concat(frames.stream().limit(1),
                                frames.stream().skip(1).filter(f -> f.getMethod().getType().getName().startsWith("dendrite.")))
                        .limit(FRAMES).map(AllocationSites::frame).collect(Collectors.joining(" < "));
                weights.merge(site, e.getLong("weight"), Long::sum);
            }
            if (weights.isEmpty()) {
                return "\nallocation samples (Flight Recorder): none on these threads";
            }
            return weights.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                    .limit(SITES).map(w -> "\n  ~" + w.getValue() + " bytes: " + w.getKey())
                    .collect(Collectors.joining("", "\nallocation samples (Flight Recorder):", ""));
        } catch (IOException | RuntimeException e) {
            return "\n(no allocation samples: " + e + ")";
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    private static String frame(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + ":" + f.getLineNumber()
                + (f.getType().equals("Interpreted") ? "(i)" : "");
    }
}
