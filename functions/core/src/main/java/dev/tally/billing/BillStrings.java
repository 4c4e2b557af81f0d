package dev.tally.billing;

/** The distinct values of a bill's text columns, each with a small id (see {@link ByteInterner}). */
public record BillStrings(ByteInterner products, ByteInterner resources, ByteInterner tags, ByteInterner invoices) {
    public BillStrings() {
        this(new ByteInterner(), new ByteInterner(), new ByteInterner(), new ByteInterner());
    }
}
