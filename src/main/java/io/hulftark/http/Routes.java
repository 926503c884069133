package io.hulftark.http;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which HTTP methods each path of the REST resources takes, read from their JAX-RS annotations: for the
 * {@code Allow} of an OPTIONS answer and of a 405, which Quarkus REST fills with every method or none.
 */
public final class Routes {

    private record Route(Pattern path, String method) { }

    private final List<Route> routes = new ArrayList<>();

    public Routes(Collection<Class<?>> resources) {
        for (Class<?> type : resources) {
            Path base = type.getAnnotation(Path.class);
            if (base == null) {
                continue;
            }
            for (Method m : type.getMethods()) {
                String verb = verb(m);
                if (verb != null) {
                    Path sub = m.getAnnotation(Path.class);
                    routes.add(new Route(template(base.value() + (sub == null ? "" : "/" + sub.value())), verb));
                }
            }
        }
    }

    /** The methods {@code path} takes (with HEAD for GET, and OPTIONS); empty when no resource serves it. */
    public Set<String> allowed(String path) {
        Set<String> methods = new TreeSet<>();
        for (Route r : routes) {
            if (r.path().matcher(path).matches()) {
                methods.add(r.method());
            }
        }
        if (methods.isEmpty()) {
            return methods;
        }
        if (methods.contains(HttpMethod.GET)) {
            methods.add(HttpMethod.HEAD);
        }
        methods.add(HttpMethod.OPTIONS);
        return methods;
    }

    private static String verb(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod verb = a.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    /** "/api/v1/resources/{tag}/check" → a pattern where each {name} (or {name: regex}) is one segment. */
    static Pattern template(String template) {
        String t = ("/" + template).replaceAll("/+", "/");
        if (t.length() > 1 && t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < t.length()) {
            int open = t.indexOf('{', i);
            if (open < 0) {
                regex.append(Pattern.quote(t.substring(i)));
                break;
            }
            regex.append(Pattern.quote(t.substring(i, open)));
            int close = t.indexOf('}', open);
            String param = t.substring(open + 1, close);
            int colon = param.indexOf(':');
            regex.append(colon < 0 ? "[^/]+" : "(?:" + param.substring(colon + 1).strip() + ")");
            i = close + 1;
        }
        return Pattern.compile(regex + "/?");
    }
}
