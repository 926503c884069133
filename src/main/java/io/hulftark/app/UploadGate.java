package io.hulftark.app;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts the requests with a body in progress, per credential and in all, so that neither one credential nor
 * everyone together can hold more than its share of connections, memory and worker threads. Plain and
 * thread-safe; {@link UploadRoutes} acquires a place before it reads a body and releases it when the exchange ends.
 */
public final class UploadGate {

    public enum Admission { ADMITTED, CREDENTIAL_BUSY, FULL }

    private final int perCredential;
    private final int max;
    private final Map<String, Integer> held = new HashMap<>();
    private int total;

    public UploadGate(int perCredential, int max) {
        if (perCredential < 1 || max < 1) {
            throw new IllegalArgumentException("hulftark.http.uploads-per-credential and max-uploads must be at least 1");
        }
        this.perCredential = perCredential;
        this.max = max;
    }

    public synchronized Admission acquire(String credential) {
        int mine = held.getOrDefault(credential, 0);
        if (mine >= perCredential) {
            return Admission.CREDENTIAL_BUSY;
        }
        if (total >= max) {
            return Admission.FULL;
        }
        held.put(credential, mine + 1);
        total++;
        return Admission.ADMITTED;
    }

    public synchronized void release(String credential) {
        Integer mine = held.get(credential);
        if (mine == null) {
            throw new IllegalStateException("no upload of " + credential + " in progress");
        }
        if (mine == 1) {
            held.remove(credential); // no entry left behind per credential ever seen
        } else {
            held.put(credential, mine - 1);
        }
        total--;
    }

    public synchronized int inProgress() {
        return total;
    }

    public synchronized int inProgress(String credential) {
        return held.getOrDefault(credential, 0);
    }

    public int perCredential() {
        return perCredential;
    }

    public int max() {
        return max;
    }
}
