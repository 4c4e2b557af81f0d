package dev.tally.local;

import java.net.URI;

/** One running emulator. */
interface Emulator extends AutoCloseable {

    /** Where it answers: {@code http://127.0.0.1:PORT} for AWS services, {@code jdbc:postgresql://...} for PostgreSQL. */
    URI endpoint();

    /** Stops it and removes what it wrote; never throws. */
    @Override
    void close();
}
