package dev.tally.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Region, endpoints and credentials for every AWS client, so one code path runs on AWS, on
 * LocalStack and on the local emulators.
 *
 * <p>From the environment: {@code AWS_REGION} (set by Lambda), an optional {@code AWS_ENDPOINT_URL}
 * for every service and {@code AWS_ENDPOINT_URL_<SERVICE>} (e.g. {@code AWS_ENDPOINT_URL_DYNAMODB})
 * for one — the names the AWS SDKs and CLI use. Credentials come from the default chain.
 */
public record AwsConfig(Region region, Optional<URI> defaultEndpoint, Map<String, URI> serviceEndpoints,
                        AwsCredentialsProvider credentials) {

    public static final String REGION = "AWS_REGION";
    public static final String ENDPOINT = "AWS_ENDPOINT_URL";
    public static final String SERVICE_ENDPOINT_PREFIX = "AWS_ENDPOINT_URL_";

    /**
     * @throws IllegalStateException naming the variable that is missing or wrong
     */
    public static AwsConfig fromEnvironment(Map<String, String> env) {
        String region = env.get(REGION);
        if (region == null || region.isBlank()) {
            region = env.get("AWS_DEFAULT_REGION");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalStateException(REGION + " is not set");
        }
        Map<String, URI> services = new java.util.TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(SERVICE_ENDPOINT_PREFIX) && !value.isBlank()) {
                services.put(serviceName(name.substring(SERVICE_ENDPOINT_PREFIX.length())), uri(name, value));
            }
        });
        String endpoint = env.get(ENDPOINT);
        return new AwsConfig(Region.of(region.trim()),
                endpoint == null || endpoint.isBlank() ? Optional.empty() : Optional.of(uri(ENDPOINT, endpoint)),
                Map.copyOf(services), credentials(env));
    }

    /**
     * The default provider chain for the process's own environment (in Lambda it reads the function
     * role's credentials); for an environment handed in by a local run, the keys it carries.
     */
    private static AwsCredentialsProvider credentials(Map<String, String> env) {
        String key = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (env != System.getenv() && key != null && secret != null) {
            String token = env.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token == null
                    ? AwsBasicCredentials.create(key, secret)
                    : AwsSessionCredentials.create(key, secret, token));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /** Everything on one local endpoint per service, with dummy credentials (emulators accept any). */
    public static AwsConfig local(Map<String, URI> serviceEndpoints) {
        Map<String, URI> services = new java.util.TreeMap<>();
        serviceEndpoints.forEach((service, uri) -> services.put(serviceName(service), uri));
        return new AwsConfig(Region.US_EAST_1, Optional.empty(), Map.copyOf(services),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    }

    /** The endpoint override for a service ({@code dynamodb}, {@code s3}, {@code sqs}, ...), if any. */
    public Optional<URI> endpoint(String service) {
        URI specific = serviceEndpoints.get(serviceName(service));
        return specific != null ? Optional.of(specific) : defaultEndpoint;
    }

    /** {@code REDSHIFT_DATA} (as in {@code AWS_ENDPOINT_URL_REDSHIFT_DATA}) and {@code redshift-data} are one service. */
    private static String serviceName(String service) {
        return service.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static URI uri(String name, String value) {
        try {
            URI uri = URI.create(value.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " is not a URL: " + value);
        }
    }
}
