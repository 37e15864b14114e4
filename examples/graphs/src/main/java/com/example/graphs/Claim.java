package com.example.graphs;

/**
 * What an example claims, checked when it runs: an example whose claim no longer holds fails loudly
 * (status 1, one line saying why) rather than print numbers nobody reads.
 */
final class Claim {
    private Claim() {
    }

    /** Exits with status 1 and {@code reason} on standard error unless {@code holds}. */
    static void check(boolean holds, String reason) {
        if (!holds) {
            System.err.println("EXAMPLE FAILED: " + reason);
            System.exit(1);
        }
    }
}
