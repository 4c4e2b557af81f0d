package dev.tally.delivery;

import dev.tally.billing.BillPart;

import java.io.IOException;
import java.io.InputStream;

/**
 * A bill part that is an object in a store: streamed on every reading, pinned to the version (or ETag)
 * the delivery named, so a second reading reads the same bytes.
 *
 * @param size the object's size from the store (the notification's is never trusted), or -1
 */
public record StoredBillPart(ObjectStore store, String bucket, String key, String versionId, String eTag, long size)
        implements BillPart {

    @Override
    public String name() {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public InputStream open() throws IOException {
        return store.get(bucket, key, versionId, versionId.isEmpty() ? eTag : "");
    }

    @Override
    public void readFully(long position, byte[] into, int offset, int length) throws IOException {
        store.readRange(bucket, key, versionId, versionId.isEmpty() ? eTag : "", position, into, offset, length);
    }
}
