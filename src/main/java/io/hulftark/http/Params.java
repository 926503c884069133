package io.hulftark.http;

/**
 * Path and query parameters read by the resources themselves rather than by JAX-RS, whose failed conversion of
 * {@code ?page=x} or {@code /acknowledgements/abc} is a 404 that names nothing. Here it is a 400 naming the
 * parameter and its bounds, the same ones the OpenAPI documents declare.
 */
public final class Params {

    private Params() {
    }

    /** A whole number from {@code min} to {@code max}; {@code fallback} when absent. */
    public static long whole(String name, String value, long fallback, long min, long max) {
        if (value == null) {
            return fallback;
        }
        String v = value.strip();
        // Digits only: Long.parseLong would take "+5", and a fraction or an exponent is not a whole number.
        boolean digits = !v.isEmpty() && v.length() <= 19
                && (v.charAt(0) == '-' ? v.length() > 1 && v.substring(1).chars().allMatch(Params::digit)
                : v.chars().allMatch(Params::digit));
        if (digits) {
            try {
                long n = Long.parseLong(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException tooLarge) {
                // said below
            }
        }
        throw ProblemException.badRequest(name + " must be a whole number from " + min + " to " + max + ", not '"
                + ProblemMappers.cut(clean(value), 40) + "'");
    }

    public static int whole(String name, String value, int fallback, int min, int max) {
        return (int) whole(name, value, (long) fallback, min, max);
    }

    private static boolean digit(int c) {
        return c >= '0' && c <= '9';
    }

    private static String clean(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
