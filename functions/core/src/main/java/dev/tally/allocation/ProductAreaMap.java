package dev.tally.allocation;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which product area each ECS service belongs to. Keys are {@code cluster/service} or
 * {@code service}; the more specific {@code cluster/service} key is looked up first and wins.
 * Services found under neither key are {@link Target#UNMAPPED}.
 */
public final class ProductAreaMap {
    private final Map<String, String> areas;

    public ProductAreaMap(Map<String, String> areas) {
        Map<String, String> copy = new TreeMap<>();
        areas.forEach((key, area) -> {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("product area map has an empty service key");
            }
            if (area == null || area.isBlank()) {
                throw new IllegalArgumentException("product area of service '" + key + "' is empty");
            }
            copy.put(key.trim(), area.trim());
        });
        this.areas = copy;
    }

    public static ProductAreaMap empty() {
        return new ProductAreaMap(Map.of());
    }

    /** The product area of a service, or {@link Target#UNMAPPED}. */
    public String areaOf(String cluster, String service) {
        String area = areas.get(cluster + "/" + service);
        if (area == null) {
            area = areas.get(service);
        }
        return area == null ? Target.UNMAPPED : area;
    }

    /** The map's entries in key order. */
    public Map<String, String> entries() {
        return java.util.Collections.unmodifiableMap(areas);
    }

    public int size() {
        return areas.size();
    }

    /** A stable digest of the entries (hex SHA-256 of the sorted map), used as the map's version. */
    public String version() {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            areas.forEach((key, area) -> {
                digest.update(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(area.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update((byte) 1);
            });
            return java.util.HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProductAreaMap other && areas.equals(other.areas);
    }

    @Override
    public int hashCode() {
        return areas.hashCode();
    }

    @Override
    public String toString() {
        return "ProductAreaMap" + areas;
    }
}
