package dev.tally.aws.s3;

import dev.tally.privacy.target.TargetOutcome;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ArchiveFailureTest {
    private static S3Exception s3(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .message("Access Denied for arn:aws:s3:::bucket/raw/user-42/events.gz")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code)
                        .errorMessage("not authorized on resource arn:aws:s3:::bucket/raw/user-42/events.gz").build())
                .build();
    }

    @Test
    void shouldRetryThrottlingAndServerErrors() {
        assertThat(ArchiveFailure.of(s3(503, "SlowDown"), "GetObject").outcome())
                .isEqualTo(new TargetOutcome.Retry("S3 GetObject answered 503 SlowDown", Optional.of(Duration.ofSeconds(30))));
        assertThat(ArchiveFailure.of(s3(500, "InternalError"), "PutObject").outcome())
                .isEqualTo(new TargetOutcome.Retry("S3 PutObject answered 500 InternalError", Optional.empty()));
        assertThat(ArchiveFailure.of(s3(400, "RequestTimeout"), "PutObject").retryable()).isTrue();
    }

    @Test
    void shouldFailForGoodOnAccessDeniedOrAMissingBucket_withoutS3sMessage() {
        TargetOutcome denied = ArchiveFailure.of(s3(403, "AccessDenied"), "PutObject").outcome();
        TargetOutcome missing = ArchiveFailure.of(s3(404, "NoSuchBucket"), "ListObjectsV2").outcome();

        assertThat(denied).isEqualTo(new TargetOutcome.Failed("S3 PutObject answered 403 AccessDenied"));
        assertThat(missing).isEqualTo(new TargetOutcome.Failed("S3 ListObjectsV2 answered 404 NoSuchBucket"));
    }

    @Test
    void shouldRetryAClientFailure_withoutItsMessage_whichMayQuoteTheUrl() {
        SdkClientException e = SdkClientException.create("Unable to execute HTTP request: GET https://b.s3/raw/user-42/x.gz");

        ArchiveFailure failure = ArchiveFailure.of(e, "GetObject");

        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).isEqualTo("S3 GetObject did not answer (SdkClientException)");
    }

    @Test
    void shouldStandForAKeyByAKeyedHash() {
        String ref = ArchiveFailure.ref("raw/user-42/events.gz");

        assertThat(ref).matches("object#[0-9a-f]{12}").isEqualTo(ArchiveFailure.ref("raw/user-42/events.gz"))
                .isNotEqualTo(ArchiveFailure.ref("raw/user-43/events.gz"));
    }
}
