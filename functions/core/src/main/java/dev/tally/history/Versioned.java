package dev.tally.history;

/**
 * A field value together with the {@code detail.version} of the event that carried it. The value
 * from the higher version wins; at equal versions the larger value wins, so that the outcome never
 * depends on the order in which duplicates or conflicting copies arrive.
 */
record Versioned<T extends Comparable<T>>(long version, T value) {

    static <T extends Comparable<T>> Versioned<T> merge(Versioned<T> current, long version, T value) {
        if (value == null) {
            return current;
        }
        if (current == null
                || version > current.version
                || (version == current.version && value.compareTo(current.value) > 0)) {
            return new Versioned<>(version, value);
        }
        return current;
    }

    static <T extends Comparable<T>> T valueOf(Versioned<T> versioned) {
        return versioned == null ? null : versioned.value;
    }
}
