package dev.tally.local.junit;

import dev.tally.local.AwsEndpoints;
import dev.tally.local.LocalAws;
import dev.tally.local.LocalService;
import java.util.Optional;
import java.util.Set;

/** The default backend: the emulators of {@link LocalAws}, one stack for the whole test JVM. */
final class LocalEmulatorsBackend implements LocalAwsBackend {
    private final LocalAws aws = LocalAws.start();

    @Override
    public String name() {
        return LocalAwsExtension.LOCAL;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public AwsEndpoints require(Set<LocalService> services) {
        return aws.require(services);
    }

    @Override
    public void close() {
        aws.close();
    }
}
