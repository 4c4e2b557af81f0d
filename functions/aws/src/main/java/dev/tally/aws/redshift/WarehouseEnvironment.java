package dev.tally.aws.redshift;

import dev.tally.aws.Environment;

import java.util.Locale;
import java.util.Map;

/**
 * Which warehouse a function talks to, from the variables the billing function and the privacy workers share:
 * {@value #KIND} ({@code none}, {@code redshift} — the Data API, configured by {@link DataApiTarget}'s variables —
 * or {@code jdbc}, PostgreSQL for local runs, at {@value #JDBC_URL} as {@value #JDBC_USER} with
 * {@value #JDBC_PASSWORD}). Each failure is an {@link IllegalStateException} naming the variable.
 */
public final class WarehouseEnvironment {
    public static final String KIND = "WAREHOUSE";
    public static final String JDBC_URL = "WAREHOUSE_JDBC_URL";
    public static final String JDBC_USER = "WAREHOUSE_JDBC_USER";
    public static final String JDBC_PASSWORD = "WAREHOUSE_JDBC_PASSWORD";

    /** The warehouse's kind. */
    public enum Kind { NONE, REDSHIFT, JDBC }

    /** A JDBC database; {@link #toString()} leaves the password out. */
    public record Jdbc(String url, String user, String password) {
        @Override
        public String toString() {
            return "Jdbc[url=" + url + ", user=" + user + "]";
        }
    }

    private WarehouseEnvironment() {
    }

    /** {@value #KIND}, {@code none} when unset. */
    public static Kind kind(Map<String, String> env) {
        String value = env.getOrDefault(KIND, "none").trim().toUpperCase(Locale.ROOT);
        try {
            return Kind.valueOf(value.isEmpty() ? "NONE" : value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(KIND + " must be none, redshift or jdbc, was '" + env.get(KIND) + "'");
        }
    }

    /** {@value #JDBC_URL} and {@value #JDBC_USER} (required), {@value #JDBC_PASSWORD} (empty when unset). */
    public static Jdbc jdbc(Map<String, String> env) {
        return new Jdbc(Environment.required(env, JDBC_URL), Environment.required(env, JDBC_USER),
                env.getOrDefault(JDBC_PASSWORD, ""));
    }
}
