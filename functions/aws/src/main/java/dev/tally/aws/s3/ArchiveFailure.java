package dev.tally.aws.s3;

import dev.tally.privacy.target.TargetOutcome;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Why an archive pass stopped, as a short text without personal data: object keys may hold user ids, so no key
 * (nor S3's own error message, nor an SDK message, which may quote the URL) is ever put in it — only the
 * operation, the HTTP status and S3's error code, and for one object a {@link #ref keyed hash} of its key.
 */
final class ArchiveFailure extends RuntimeException {
    private static final byte[] REF_KEY = new SecureRandom().generateSeed(32);

    private final boolean retryable;
    private final Optional<Duration> after;

    private ArchiveFailure(String message, boolean retryable, Optional<Duration> after) {
        super(message, null, false, false);
        this.retryable = retryable;
        this.after = after;
    }

    static ArchiveFailure retry(String message) {
        return new ArchiveFailure(message, true, Optional.empty());
    }

    static ArchiveFailure failed(String message) {
        return new ArchiveFailure(message, false, Optional.empty());
    }

    /**
     * An SDK failure of {@code operation}: throttling, 5xx and connection failures are worth retrying; access
     * denied, no such bucket and other 4xx are not.
     */
    static ArchiveFailure of(SdkException e, String operation) {
        if (e instanceof S3Exception s3) {
            int status = s3.statusCode();
            String code = s3.awsErrorDetails() == null || s3.awsErrorDetails().errorCode() == null ? ""
                    : " " + s3.awsErrorDetails().errorCode();
            String text = "S3 " + operation + " answered " + status + code;
            if (status == 429 || status == 503 || code.equals(" SlowDown")) {
                return new ArchiveFailure(text, true, Optional.of(Duration.ofSeconds(30)));
            }
            return status >= 500 || code.equals(" RequestTimeout") ? retry(text) : failed(text);
        }
        if (e instanceof SdkClientException) {
            return retry("S3 " + operation + " did not answer (" + e.getClass().getSimpleName() + ")");
        }
        return retry("S3 " + operation + " failed (" + e.getClass().getSimpleName() + ")");
    }

    /**
     * A stand-in for an object key in errors and logs: an HMAC with a key drawn when the JVM starts, so that
     * lines of one run can be matched up while a guessable key (one holding a user id) cannot be recovered from
     * it, as it could from a plain hash.
     */
    static String ref(String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(REF_KEY, "HmacSHA256"));
            return "object#" + HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)), 0, 6);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    boolean retryable() {
        return retryable;
    }

    TargetOutcome outcome() {
        return retryable ? new TargetOutcome.Retry(getMessage(), after) : new TargetOutcome.Failed(getMessage());
    }
}
