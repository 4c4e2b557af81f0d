package dev.tally.local.junit;

import dev.tally.local.AwsEndpoints;
import dev.tally.local.LocalService;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link LocalAwsExtension} runs tests against. One instance per test JVM, closed at its end. Chosen by the
 * system property {@value LocalAwsExtension#BACKEND_PROPERTY}: {@code local} (the default: the emulators of
 * {@link dev.tally.local.LocalAws}), {@code localstack}, or the name of a class implementing this interface with
 * a public no-argument constructor.
 */
public interface LocalAwsBackend extends AutoCloseable {

    /** A short name for messages, e.g. {@code local}, {@code localstack}. */
    String name();

    /** Why this backend cannot run here (e.g. no Docker), making the tests skip; empty when it can. */
    Optional<String> unavailableReason();

    /** Starts what is not running yet of {@code services}; returns endpoints for (at least) those. */
    AwsEndpoints require(Set<LocalService> services);

    @Override
    void close();
}
