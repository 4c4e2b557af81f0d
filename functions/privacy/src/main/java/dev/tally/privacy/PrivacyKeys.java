package dev.tally.privacy;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The two keys of the privacy records, derived from one secret (Secrets Manager in AWS, the local config's
 * {@code secrets} locally): a key for keyed hashes (HMAC-SHA256) — of confirmation codes, of subject ids in the
 * suppression table and in finished requests, of idempotency keys and request bodies — and a key that seals a
 * request's subject ids at rest (AES-256-GCM) until the request is finished.
 *
 * <p>A keyed hash, not a plain one: subject ids (emails, user ids) are guessable, so a plain hash of one is as
 * good as the id to anyone holding the table. Each hash names its purpose, so a hash of one kind is never
 * valid as another.
 */
public final class PrivacyKeys {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec hashKey;
    private final SecretKeySpec sealKey;
    private final SecureRandom random;

    private PrivacyKeys(byte[] hashKey, byte[] sealKey, SecureRandom random) {
        this.hashKey = new SecretKeySpec(hashKey, "HmacSHA256");
        this.sealKey = new SecretKeySpec(sealKey, "AES");
        this.random = random;
    }

    /**
     * @param secret at least 32 characters (e.g. {@code openssl rand -base64 48}); its value never appears in a
     *               message
     * @throws IllegalStateException when the secret is too short to be a key
     */
    public static PrivacyKeys fromSecret(String secret, SecureRandom random) {
        if (secret == null || secret.length() < 32) {
            throw new IllegalStateException("the privacy key secret must be at least 32 characters");
        }
        byte[] master = secret.getBytes(StandardCharsets.UTF_8);
        return new PrivacyKeys(hmac(master, "tally privacy hash key"), hmac(master, "tally privacy seal key"), random);
    }

    /** The keyed hash of {@code value} for one purpose, as 64 hex digits. */
    public String hash(String purpose, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hashKey);
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The keyed hash of a subject id, as the suppression table and finished requests hold it. */
    public String subjectHash(SubjectType type, String id) {
        return hash("subject:" + type.name(), type.normalize(id));
    }

    /** Encrypts {@code plain}, bound to {@code context} (the request id): nonce, then ciphertext and tag. */
    public byte[] seal(byte[] plain, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available", e);
        }
    }

    /**
     * @throws IllegalStateException when the bytes were not sealed with this key for this context (tampered, or a
     *                               different key)
     */
    public byte[] unseal(byte[] sealed, String context) {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("sealed subject ids are too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("sealed subject ids do not open with this key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available", e);
        }
    }

    /** Compares two hashes in time independent of where they differ. */
    public static boolean sameHash(String a, String b) {
        return a != null && b != null && java.security.MessageDigest.isEqual(
                a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(byte[] key, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
