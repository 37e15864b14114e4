package dendrite.tensor;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Finds the backends on the class or module path and chooses one.
 *
 * <h2>Selection order</h2>
 * <ol>
 *   <li>The system property {@code dendrite.backend}, else the environment variable
 *       {@code DENDRITE_BACKEND}, names one ({@code scalar}, {@code vector}, {@code opencl}). An
 *       unknown name fails at once listing the known ones; a named backend that cannot run fails
 *       with its reason. There is no silent fallback from a named backend.</li>
 *   <li>Otherwise the available provider with the highest {@link BackendProvider#priority()}:
 *       OpenCL on a GPU, then vector, then OpenCL on a CPU device, then scalar. A backend whose
 *       {@code create()} fails is skipped with its reason and the next one is tried.</li>
 * </ol>
 * The automatic choice is logged once at INFO (through {@link System.Logger}) with the winner's
 * capabilities and why each better-ranked one was skipped; {@link #report()} gives the same as text.
 *
 * <p>Backends are created once per name and shared; they live until the VM exits, and their
 * {@link Backend#close()} does nothing (see {@link Backend#isShared()}).
 */
public final class Backends {
    /** System property naming the backend to use. */
    public static final String PROPERTY = "dendrite.backend";
    /** Environment variable naming the backend to use, read when the property is not set. */
    public static final String ENVIRONMENT = "DENDRITE_BACKEND";

    private static final System.Logger LOG = System.getLogger(Backends.class.getName());
    private static final Map<String, Backend> CREATED = new ConcurrentHashMap<>();
    private static final Map<String, String> CREATE_FAILURES = new ConcurrentHashMap<>();
    private static volatile Backend chosen;
    private static volatile List<Candidate> candidates;
    private static volatile List<BackendProvider> providers;
    /** Each provider's probe, run once: by identity, so two tests' fakes of one name stay apart. */
    private static final Map<BackendProvider, Candidate> PROBED = java.util.Collections.synchronizedMap(
            new java.util.IdentityHashMap<>());

    private Backends() {
    }

    /**
     * A provider with what its probe said, cached for the life of the VM.
     *
     * @param provider the provider found by {@link ServiceLoader} (or given by a test)
     * @param availability what the provider's {@link BackendProvider#probe()} returned, or an unavailable
     *        result describing how the probe failed
     */
    public record Candidate(BackendProvider provider, Availability availability) {
        /**
         * The provider's name, as it reports it.
         *
         * @return {@code provider().name()}
         */
        public String name() {
            return provider.name();
        }
    }

    /**
     * Every provider found, best first, each probed once.
     *
     * @return an unmodifiable list, computed on the first call and then cached for the VM; empty when
     *         no backend is on the class or module path
     */
    public static List<Candidate> candidates() {
        List<Candidate> c = candidates;
        if (c == null) {
            synchronized (Backends.class) {
                c = candidates;
                if (c == null) {
                    c = discover();
                    candidates = c;
                }
            }
        }
        return c;
    }

    private static List<Candidate> discover() {
        return rank(providers());
    }

    /**
     * Every provider found, the first of each name, loaded but not probed: naming a backend probes
     * that one alone, so a broken driver of another backend (a crashing {@code libOpenCL.so}) cannot
     * take down a run that asked for the scalar one.
     */
    static List<BackendProvider> providers() {
        List<BackendProvider> p = providers;
        if (p == null) {
            synchronized (Backends.class) {
                p = providers;
                if (p == null) {
                    p = firstOfEachName(load());
                    providers = p;
                }
            }
        }
        return p;
    }

    private static List<BackendProvider> load() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader<BackendProvider> loader = ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader());
        // The iterator, not stream(): a services entry naming a missing or broken class throws
        // ServiceConfigurationError from hasNext()/next(), and the iterator then goes on to the next
        // entry, so one bad jar on the class path costs its own backend only.
        Iterator<BackendProvider> it = loader.iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                LOG.log(Level.WARNING, "a backend provider failed to load and is skipped: " + e);
            }
        }
        return found;
    }

    /** The first provider of each (case-insensitive) name, in the order found; nameless ones skipped. */
    static List<BackendProvider> firstOfEachName(List<BackendProvider> providers) {
        Map<String, BackendProvider> byName = new LinkedHashMap<>();
        for (BackendProvider bp : providers) {
            try {
                byName.putIfAbsent(bp.name().toLowerCase(Locale.ROOT), bp);
            } catch (Throwable e) {   // a provider that cannot even name itself is skipped, not fatal
                LOG.log(Level.WARNING, "backend provider " + bp.getClass().getName() + " failed to load: " + e);
            }
        }
        return List.copyOf(byName.values());
    }

    /** The candidate of that name, probing it alone (cached like every probe), or empty. */
    static java.util.Optional<Candidate> probeOne(List<BackendProvider> providers, String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (BackendProvider bp : firstOfEachName(providers)) {
            if (bp.name().toLowerCase(Locale.ROOT).equals(n)) {
                return java.util.Optional.of(PROBED.computeIfAbsent(bp, p -> new Candidate(p, safeProbe(p))));
            }
        }
        return java.util.Optional.empty();
    }

    /** The backend of that name from the providers found, probing no other. */
    private static Candidate named(String name) {
        List<BackendProvider> all = providers();
        return probeOne(all, name).orElseThrow(() -> new IllegalArgumentException(unknownMessage(name,
                all.stream().map(bp -> bp.name().toLowerCase(Locale.ROOT)).toList())));
    }

    /**
     * The candidates for these providers, best first: the first provider of each (case-insensitive)
     * name, each probed once, sorted by descending priority. Pure selection logic, kept apart from
     * {@link ServiceLoader} so it can be tested with providers made in a test.
     */
    static List<Candidate> rank(List<BackendProvider> providers) {
        List<Candidate> list = new ArrayList<>();
        for (BackendProvider bp : firstOfEachName(providers)) {
            list.add(PROBED.computeIfAbsent(bp, p -> new Candidate(p, safeProbe(p))));
        }
        list.sort(Comparator.comparingInt((Candidate c) -> safePriority(c.provider())).reversed());
        return List.copyOf(list);
    }

    private static Availability safeProbe(BackendProvider bp) {
        try {
            Availability a = bp.probe();
            return a != null ? a : Availability.unavailable("probe returned nothing", "");
        } catch (Throwable e) {
            return Availability.unavailable("probe failed: " + e, "");
        }
    }

    private static int safePriority(BackendProvider bp) {
        try {
            return bp.priority();
        } catch (Throwable e) {
            return Integer.MIN_VALUE;
        }
    }

    /**
     * The names of every backend found (none is probed to list them).
     *
     * @return the names in lower case, one per provider name, in the order found; unmodifiable
     */
    public static List<String> names() {
        return providers().stream().map(bp -> bp.name().toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * The backend this process uses: the one named by {@value #PROPERTY} / {@value #ENVIRONMENT},
     * or the best available.
     *
     * @return the process-wide, {@linkplain Backend#isShared() shared} backend, chosen on the first call
     *         and the same on every later one; never closed
     * @throws IllegalArgumentException for an unknown name
     * @throws IllegalStateException    when the named backend, or every backend, is unavailable
     */
    public static Backend get() {
        Backend b = chosen;
        if (b == null) {
            synchronized (Backends.class) {
                b = chosen;
                if (b == null) {
                    b = choose();
                    chosen = b;
                }
            }
        }
        return b;
    }

    /**
     * The name requested through the property or environment, or null.
     *
     * @return the trimmed, lower-case name from {@value #PROPERTY} or else {@value #ENVIRONMENT}, or
     *         {@code null} when neither is set to a non-blank value
     */
    public static String requestedName() {
        String n = System.getProperty(PROPERTY);
        if (n == null || n.isBlank()) {
            n = System.getenv(ENVIRONMENT);
        }
        return n == null || n.isBlank() ? null : n.trim().toLowerCase(Locale.ROOT);
    }

    private static Backend choose() {
        String requested = requestedName();
        if (requested != null) {
            return get(requested);           // the named one alone is probed
        }
        return choose(candidates(), null, Backends::create);
    }

    /**
     * The selection rule, apart from discovery and caching: the {@code requested} backend (see
     * {@link #select}) if a name is given, else the first available candidate that {@code create}
     * can start, logging the winner and every candidate skipped before it.
     */
    static Backend choose(List<Candidate> candidates, String requested, Function<Candidate, Backend> create) {
        if (requested != null) {
            return select(candidates, requested, create);
        }
        StringBuilder skipped = new StringBuilder();
        for (Candidate c : candidates) {
            if (!c.availability().available()) {
                skipped.append("\n  skipped ").append(c.name()).append(": ").append(c.availability().explain());
                continue;
            }
            try {
                Backend b = create.apply(c);
                LOG.log(Level.INFO, "dendrite backend: " + b.name() + " (" + b.description() + ")" + skipped);
                return b;
            } catch (RuntimeException | LinkageError e) {
                skipped.append("\n  skipped ").append(c.name()).append(": failed to start: ").append(e);
            }
        }
        throw new IllegalStateException("no Dendrite backend can run here:" + skipped
                + "\nadd backend-scalar (dev.dendrite:backend-scalar), which runs everywhere");
    }

    /**
     * The backend with this name, created on first use.
     *
     * @param name the backend's name, e.g. {@code vector}; case and surrounding blanks are ignored
     * @return the shared instance of that backend, made on the first call and the same afterwards; never closed
     * @throws IllegalArgumentException naming the known backends when there is none of that name
     * @throws IllegalStateException    with the reason and fix when it cannot run here
     */
    public static Backend get(String name) {
        return select(List.of(named(name)), name, Backends::create);
    }

    /**
     * A new instance of the backend with this name, owned by the caller, who closes it (releasing
     * its device context or thread pool). For code that needs a backend of its own, such as one
     * whose memory it counts; {@link #get(String)} gives the shared one, which is never closed.
     *
     * @param name the backend's name, e.g. {@code opencl}; case and surrounding blanks are ignored
     * @return a new, unshared backend, the caller's to close
     * @throws IllegalArgumentException naming the known backends when there is none of that name
     * @throws IllegalStateException    with the reason and fix when it cannot run here
     */
    public static Backend newInstance(String name) {
        return select(List.of(named(name)), name, c -> Backend.of(c.provider().create()));
    }

    /** The candidate named {@code name}, started with {@code create}; never falls back to another. */
    static Backend select(List<Candidate> candidates, String name, Function<Candidate, Backend> create) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        Candidate c = candidates.stream().filter(x -> x.name().toLowerCase(Locale.ROOT).equals(n)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        unknownMessage(name, candidates.stream().map(Candidate::name).toList())));
        if (!c.availability().available()) {
            throw new IllegalStateException("backend '" + n + "' is unavailable: " + c.availability().explain());
        }
        try {
            return create.apply(c);
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("backend '" + n + "' failed to start: " + e.getMessage(), e);
        }
    }

    private static Backend create(Candidate c) {
        return CREATED.computeIfAbsent(c.name(), k -> {
            try {
                return Backend.shared(c.provider().create());
            } catch (RuntimeException | LinkageError e) {
                CREATE_FAILURES.put(k, String.valueOf(e.getMessage()));
                throw e;
            }
        });
    }

    static String unknownMessage(String name, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(name.toLowerCase(Locale.ROOT), k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        String hint = best != null && bestDistance <= Math.max(2, best.length() / 2) ? " (did you mean '" + best + "'?)" : "";
        return "unknown backend '" + name + "'" + hint + "; known backends: "
                + (known.isEmpty() ? "none on the class path" : String.join(", ", known));
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /**
     * The selection report: every backend found, best first, available or not and why, and which
     * one {@link #get()} would choose (or the error it would throw).
     *
     * @return a multi-line text for people to read, not a stable format; calling this chooses the
     *         backend as {@link #get()} does
     */
    public static String report() {
        StringBuilder sb = new StringBuilder("Dendrite backends (best first):\n");
        List<Candidate> list = candidates();
        if (list.isEmpty()) {
            sb.append("  none found on the class path: add dev.dendrite:backend-scalar\n");
        }
        for (Candidate c : list) {
            Availability a = c.availability();
            String failure = CREATE_FAILURES.get(c.name());
            sb.append(String.format(Locale.ROOT, "  %-8s priority %3d  %s  %s%n", c.name(), safePriority(c.provider()),
                    a.available() && failure == null ? "available  " : "unavailable",
                    failure != null ? "failed to start: " + failure : a.explain()));
        }
        String requested = requestedName();
        try {
            Backend b = get();
            sb.append("selected: ").append(b.name()).append(requested != null ? " (requested)" : " (automatic)")
                    .append(" - ").append(b.description());
        } catch (RuntimeException e) {
            sb.append("selected: none - ").append(e.getMessage());
        }
        return sb.toString();
    }
}
