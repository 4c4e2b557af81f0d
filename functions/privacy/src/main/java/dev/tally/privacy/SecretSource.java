package dev.tally.privacy;

/**
 * Resolves a secret by its id: the code-hash key, the subject-sealing key, webhook API keys. In AWS from
 * Secrets Manager ({@code GetSecretValue}, the id being a name or ARN); locally the same adapter talks to the
 * local Secrets Manager endpoint, which serves the {@code secrets} of the local config document.
 */
public interface SecretSource {

    /**
     * The secret's string value.
     *
     * @throws SecretUnavailableException when it does not exist or cannot be read; the message names the
     *                                    secret id, never its value
     */
    String secret(String secretId);

    /** A secret that cannot be read. */
    final class SecretUnavailableException extends RuntimeException {
        public SecretUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
