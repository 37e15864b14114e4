package dendrite.tensor;

/**
 * What a {@link BackendProvider#probe()} found: whether the backend can run here, and if not,
 * why and what would fix it; if so, a line of capabilities.
 *
 * @param available whether {@link BackendProvider#create()} is expected to succeed
 * @param detail    capabilities when available (e.g. "AVX-512, 16 float lanes, 2 threads"),
 *                  otherwise the reason it is not (e.g. "module jdk.incubator.vector is not readable")
 * @param fix       what the user can do about it, or empty
 */
public record Availability(boolean available, String detail, String fix) {

    /**
     * A backend that can run here.
     *
     * @param capabilities one line for reports, e.g. "AVX-512, 16 float lanes, 2 threads"
     * @return an available result with no fix
     */
    public static Availability available(String capabilities) {
        return new Availability(true, capabilities, "");
    }

    /**
     * A backend that cannot run here.
     *
     * @param reason why not, for the user, e.g. "module jdk.incubator.vector is not readable"
     * @param fix what the user can do about it; {@code null} or empty for nothing
     * @return an unavailable result
     */
    public static Availability unavailable(String reason, String fix) {
        return new Availability(false, reason, fix == null ? "" : fix);
    }

    /**
     * "reason; fix: ..." for messages.
     *
     * @return the detail, followed by "; fix: " and the fix when there is one
     */
    public String explain() {
        return fix.isEmpty() ? detail : detail + "; fix: " + fix;
    }
}
