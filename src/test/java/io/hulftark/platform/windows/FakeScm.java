package io.hulftark.platform.windows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** An SCM in memory: services, failures on demand, and a record of every call and open handle. */
final class FakeScm implements ScmApi {

    static final Win32Error ACCESS_DENIED = new Win32Error(5, "Access is denied.\r\n");
    static final Win32Error NO_SUCH_SERVICE =
            new Win32Error(1060, "The specified service does not exist as an installed service.\r\n");
    static final Win32Error MARKED_FOR_DELETE =
            new Win32Error(1072, "The specified service has been marked for deletion.\r\n");

    record H(String kind, String name, int access, int id) implements Handle {
    }

    static final class Svc {
        int state;
        int startType;
        boolean delayed;
        List<Integer> laterStates = new ArrayList<>();

        Svc(int state, int startType, boolean delayed) {
            this.state = state;
            this.startType = startType;
            this.delayed = delayed;
        }
    }

    record Change(int serviceType, int startType, int errorControl) {
    }

    final Map<String, Svc> services = new HashMap<>();
    /** Method name → what it throws (a Win32Error, or any RuntimeException/Error as it is). */
    final Map<String, Throwable> failOn = new HashMap<>();
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final List<Change> changes = Collections.synchronizedList(new ArrayList<>());
    final Set<H> open = ConcurrentHashMap.newKeySet();
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    volatile int serviceAccess = -1;
    volatile int managerAccess = -1;
    /** When set, queryStatus waits for it: an SCM that does not answer. */
    volatile CountDownLatch hold;

    FakeScm with(String name, int state, int startType, boolean delayed) {
        services.put(name, new Svc(state, startType, delayed));
        return this;
    }

    FakeScm failing(String method, Throwable t) {
        failOn.put(method, t);
        return this;
    }

    @Override
    public Handle openManager(int access) throws Win32Error {
        call("openManager");
        managerAccess = access;
        return track(new H("manager", null, access, opened.incrementAndGet()));
    }

    @Override
    public Handle openService(Handle manager, String name, int access) throws Win32Error {
        call("openService");
        assertOpen(manager);
        serviceAccess = access;
        if (!services.containsKey(name)) {
            throw NO_SUCH_SERVICE;
        }
        return track(new H("service", name, access, opened.incrementAndGet()));
    }

    @Override
    public int queryStatus(Handle service) throws Win32Error {
        CountDownLatch h = hold;
        if (h != null) {
            try {
                h.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        call("queryStatus");
        Svc s = svc(service);
        if (!s.laterStates.isEmpty()) {
            s.state = s.laterStates.remove(0);
        }
        return s.state;
    }

    @Override
    public int queryStartType(Handle service) throws Win32Error {
        call("queryStartType");
        return svc(service).startType;
    }

    @Override
    public boolean queryDelayedAutoStart(Handle service) throws Win32Error {
        call("queryDelayedAutoStart");
        return svc(service).delayed;
    }

    @Override
    public void changeConfig(Handle service, int serviceType, int startType, int errorControl) throws Win32Error {
        call("changeConfig");
        Svc s = svc(service);
        changes.add(new Change(serviceType, startType, errorControl));
        s.startType = startType;
    }

    @Override
    public void close(Handle handle) {
        calls.add("close");
        if (!open.remove((H) handle)) {
            throw new AssertionError("closed a handle that is not open: " + handle);
        }
        closed.incrementAndGet();
    }

    private void call(String method) throws Win32Error {
        calls.add(method);
        Throwable t = failOn.get(method);
        if (t instanceof Win32Error e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    private H track(H h) {
        open.add(h);
        return h;
    }

    private void assertOpen(Handle h) {
        if (!open.contains((H) h)) {
            throw new AssertionError("used a handle that is not open: " + h);
        }
    }

    private Svc svc(Handle h) {
        assertOpen(h);
        H handle = (H) h;
        if (!"service".equals(handle.kind())) {
            throw new AssertionError("a service call on " + h);
        }
        return services.get(handle.name());
    }
}
