package dev.tally.local;

import com.adobe.testing.s3mock.S3MockApplication;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * S3 by Adobe S3Mock, in this JVM (a Spring Boot application), plain HTTP on a free loopback port, objects in a
 * temporary directory. The only class that touches S3Mock: loaded only when S3 is asked for.
 */
final class S3MockEmulator implements Emulator {
    static final String MAIN_CLASS = "com.adobe.testing.s3mock.S3MockApplication";
    static final String ARTIFACT = "com.adobe.testing:s3mock";

    /** Tomcat and Spring log through java.util.logging when no Logback is present: kept quiet, as S3Mock's own logs. */
    private static final java.util.logging.Logger QUIET_APACHE = java.util.logging.Logger.getLogger("org.apache");
    private static final java.util.logging.Logger QUIET_SPRING = java.util.logging.Logger.getLogger("org.springframework");

    private final S3MockApplication application;
    private final Path root;

    private S3MockEmulator(S3MockApplication application, Path root) {
        this.application = application;
        this.root = root;
    }

    static S3MockEmulator start(Path root, String region) {
        QUIET_APACHE.setLevel(java.util.logging.Level.WARNING);
        QUIET_SPRING.setLevel(java.util.logging.Level.WARNING);
        Map<String, Object> properties = new HashMap<>();
        properties.put(S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT);
        properties.put(S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT);
        properties.put(S3MockApplication.PROP_ROOT_DIRECTORY, root.toString());
        properties.put("com.adobe.testing.s3mock.store.retainFilesOnExit", false);
        properties.put("com.adobe.testing.s3mock.store.region", region);
        properties.put("com.adobe.testing.s3mock.region", region);
        properties.put("server.address", Processes.LOOPBACK);
        properties.put(S3MockApplication.PROP_SILENT, true);
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.main.log-startup-info", false);
        properties.put("logging.level.root", "WARN");
        properties.put("logging.level.com.adobe.testing.s3mock", "WARN");
        properties.put("spring.main.register-shutdown-hook", false);
        // S3Mock streams objects asynchronously; Spring's default timeout (30 s) would end the download of a
        // large bill mid-way, which S3 itself never does
        properties.put("spring.mvc.async.request-timeout", "3600000");
        try {
            return new S3MockEmulator(S3MockApplication.start(properties), root);
        } catch (RuntimeException e) {
            throw new LocalAwsException("S3Mock did not start: " + e.getMessage(), e);
        }
    }

    // S3Mock deprecates its in-JVM API in favour of its jar or container, but still ships it (as its own JUnit
    // support uses it): it is what keeps S3 in this JVM, without Docker.
    @SuppressWarnings("removal")
    @Override
    public URI endpoint() {
        return URI.create("http://" + Processes.LOOPBACK + ":" + application.getHttpPort());
    }

    @Override
    public void close() {
        try {
            application.stop();
        } catch (RuntimeException e) {
            // stopping a test server must not hide the outcome of the run
        }
        Processes.deleteTree(root);
    }
}
