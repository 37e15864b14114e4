package com.example.lessons;

/**
 * What a lesson claims, checked when it runs: a lesson whose claim no longer holds must fail loudly
 * (status 1, one line saying why) rather than print numbers nobody reads.
 */
final class Claim {
    private Claim() {
    }

    /** Exits with status 1 and {@code reason} on standard error unless {@code holds}. */
    static void check(boolean holds, String reason) {
        if (!holds) {
            System.err.println("LESSON FAILED: " + reason);
            System.exit(1);
        }
    }
}
