package dev.tally.aws.ses;

import dev.tally.privacy.CodeSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Sends the one-time confirmation code by SES v2 {@code SendEmail}: a plain-text mail from the configured address
 * (through the configuration set, when one is given) that says the code, when it expires (UTC) and to ignore the mail
 * if the reader did not ask. The request id goes along as the email tag {@code request_id} (SES event destinations
 * and the local outbox show it; it is no personal data).
 *
 * <p>Neither the address nor the code is logged or put into an exception: a failure becomes a
 * {@link CodeNotSentException} naming the request id and what failed (the SDK exception's class, SES's error code
 * and request id), and its cause is a stand-in with the SDK exception's stack trace but none of its messages, since
 * SES echoes addresses in some of them ("... identities failed the check ...: ada@example.com").
 */
public final class SesCodeSender implements CodeSender {
    public static final String DEFAULT_SUBJECT = "Your confirmation code";
    static final String REQUEST_ID_TAG = "request_id";
    /** What SES allows in a tag value; other request ids are sent without the tag. */
    private static final Pattern TAG_VALUE = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final DateTimeFormatter EXPIRY = DateTimeFormatter
            .ofPattern("d MMMM yyyy 'at' HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Logger LOG = LoggerFactory.getLogger(SesCodeSender.class);

    private final SesV2Client ses;
    private final String fromAddress;
    private final Optional<String> configurationSet;
    private final String subject;

    /** Sends from {@code fromAddress}, with the {@link #DEFAULT_SUBJECT}. */
    public SesCodeSender(SesV2Client ses, String fromAddress, Optional<String> configurationSet) {
        this(ses, fromAddress, configurationSet, DEFAULT_SUBJECT);
    }

    public SesCodeSender(SesV2Client ses, String fromAddress, Optional<String> configurationSet, String subject) {
        this.ses = Objects.requireNonNull(ses, "ses");
        this.fromAddress = requireText(fromAddress, "fromAddress");
        this.configurationSet = Objects.requireNonNull(configurationSet, "configurationSet").filter(s -> !s.isBlank());
        this.subject = requireText(subject, "subject");
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    @Override
    public void send(String requestId, String recipient, String code, Instant expiresAt) {
        Objects.requireNonNull(requestId, "requestId");
        // the messages name the parameter, never its value
        if (recipient == null || recipient.isBlank() || code == null || code.isBlank()) {
            throw new IllegalArgumentException("the recipient and the code of request " + requestId
                    + " must not be blank");
        }
        Objects.requireNonNull(expiresAt, "expiresAt");
        SendEmailRequest.Builder request = SendEmailRequest.builder()
                .fromEmailAddress(fromAddress)
                .destination(d -> d.toAddresses(recipient))
                .content(c -> c.simple(m -> m
                        .subject(s -> s.data(subject).charset("UTF-8"))
                        .body(b -> b.text(t -> t.data(body(code, expiresAt)).charset("UTF-8")))));
        configurationSet.ifPresent(request::configurationSetName);
        if (TAG_VALUE.matcher(requestId).matches()) {
            request.emailTags(t -> t.name(REQUEST_ID_TAG).value(requestId));
        }
        String messageId;
        try {
            messageId = ses.sendEmail(request.build()).messageId();
        } catch (RuntimeException e) {
            throw new CodeNotSentException("the confirmation code of request " + requestId
                    + " could not be sent by SES: " + describe(e), new Redacted(e));
        }
        LOG.debug("confirmation code of request {} handed to SES as message {}", requestId, messageId);
    }

    /** The mail's text. */
    static String body(String code, Instant expiresAt) {
        return "Your confirmation code is " + code + ".\n\n"
                + "It expires on " + EXPIRY.format(expiresAt) + ". Enter it where you made your privacy request"
                + " to confirm it.\n\n"
                + "If you did not ask for this, ignore this email: nothing happens without the code.\n";
    }

    /** What failed, from fields that never hold the address or the code. */
    private static String describe(RuntimeException e) {
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName());
        if (e instanceof AwsServiceException service) {
            if (service.awsErrorDetails() != null && service.awsErrorDetails().errorCode() != null) {
                text.append(' ').append(service.awsErrorDetails().errorCode());
            }
            text.append(" (HTTP ").append(service.statusCode());
            if (service.requestId() != null) {
                text.append(", request id ").append(service.requestId());
            }
            text.append(')');
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e) {
            text.append(", caused by ").append(root.getClass().getName());
        }
        return text.toString();
    }

    /** Stands in for an SDK exception in the cause chain: its class and stack trace, none of its messages. */
    static final class Redacted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Redacted(Throwable original) {
            super(original.getClass().getName() + " (message withheld: it may hold the address)", null, false, true);
            setStackTrace(original.getStackTrace());
        }
    }
}
