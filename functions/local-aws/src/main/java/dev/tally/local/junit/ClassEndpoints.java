package dev.tally.local.junit;

import dev.tally.local.AwsEndpoints;
import dev.tally.local.LocalAwsException;
import dev.tally.local.LocalService;
import java.net.URI;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The shared stack as one test class sees it: only the services its {@link LocalAwsTest} names, so that a class
 * cannot come to depend on a service another class happened to start first.
 */
final class ClassEndpoints implements AwsEndpoints {
    private final AwsEndpoints shared;
    private final Set<LocalService> services;
    private final String testClass;

    ClassEndpoints(AwsEndpoints shared, Set<LocalService> services, String testClass) {
        this.shared = shared;
        this.services = Collections.unmodifiableSet(EnumSet.copyOf(services));
        this.testClass = testClass;
    }

    private void check(LocalService service) {
        if (!services.contains(service)) {
            throw new LocalAwsException(service + " is not among the services of " + testClass
                    + ": add it to @LocalAwsTest(services = ...)");
        }
    }

    @Override
    public Set<LocalService> services() {
        return services;
    }

    @Override
    public URI endpoint(LocalService service) {
        check(service);
        return shared.endpoint(service);
    }

    @Override
    public String region() {
        return shared.region();
    }

    @Override
    public String accessKeyId() {
        return shared.accessKeyId();
    }

    @Override
    public String secretAccessKey() {
        return shared.secretAccessKey();
    }

    @Override
    public String jdbcUrl() {
        check(LocalService.POSTGRES);
        return shared.jdbcUrl();
    }

    @Override
    public String jdbcUser() {
        check(LocalService.POSTGRES);
        return shared.jdbcUser();
    }

    @Override
    public String jdbcPassword() {
        check(LocalService.POSTGRES);
        return shared.jdbcPassword();
    }

    @Override
    public String toString() {
        return testClass + " " + services + " on " + shared;
    }
}
