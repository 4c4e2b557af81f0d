package dev.tally.allocation;

/**
 * Where the service → product area map is kept for rollups that run in AWS. The repository's map file
 * is the source; a deploy-time publisher replaces the stored map with it, so the rollup and the
 * infrastructure share one definition.
 */
public interface ProductAreaStore {
    /** The current map (empty if none was ever published). */
    ProductAreaMap load();

    /**
     * Replaces the stored map as a whole: a reader sees either the old map or the new one, never a
     * mixture.
     *
     * @return the version now current (the same map always gets the same version)
     */
    String replace(ProductAreaMap map);
}
