package dev.tally.local;

import java.net.URI;
import java.util.Set;

/**
 * Where a set of running AWS services (real, emulated or LocalStack) answers, and how to sign in to them: what
 * code needs to build AWS SDK clients (endpoint override, region, static credentials, path-style S3) and a JDBC
 * connection to the Redshift stand-in.
 */
public interface AwsEndpoints {

    /** The services that answer here. */
    Set<LocalService> services();

    /** The endpoint of a running service, e.g. {@code http://127.0.0.1:41234}. */
    URI endpoint(LocalService service);

    /** The region to configure clients with. */
    String region();

    /** A dummy access key id the emulators accept. */
    String accessKeyId();

    /** A dummy secret access key the emulators accept. */
    String secretAccessKey();

    /** JDBC URL of the PostgreSQL database standing in for Redshift. */
    String jdbcUrl();

    /** User for {@link #jdbcUrl()}. */
    String jdbcUser();

    /** Password for {@link #jdbcUrl()} (empty when the cluster trusts local connections). */
    String jdbcPassword();
}
