package dev.tally.billing;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.DummyRecordConverter;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ParquetColumn} reads every leaf column as parquet-java's own column reader does — levels, nulls, values
 * and dictionary ids — for v1 and v2 data pages, dictionary pages that fall back to plain ones, the v2 writer's
 * delta encodings, booleans, {@code INT96}, repeated map entries, and pages small enough that a chunk has many.
 */
class ParquetColumnTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, dictionary {1}")
    @CsvSource({"PARQUET_1_0, true", "PARQUET_2_0, true", "PARQUET_1_0, false", "PARQUET_2_0, false"})
    void shouldReadEveryColumnAsParquetJavaDoes(ParquetProperties.WriterVersion version, boolean dictionary)
            throws Exception {
        MessageType schema = new MessageType("t",
                Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("id"),
                Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("kind"),
                Types.optional(PrimitiveTypeName.DOUBLE).named("cost"),
                Types.optional(PrimitiveTypeName.INT64)
                        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
                        .named("start"),
                Types.optional(PrimitiveTypeName.INT32).named("n"),
                Types.optional(PrimitiveTypeName.BOOLEAN).named("flag"),
                Types.optional(PrimitiveTypeName.FLOAT).named("f"),
                Types.optional(PrimitiveTypeName.INT96).named("t96"),
                Types.optionalGroup().as(LogicalTypeAnnotation.mapType())
                        .addField(Types.repeatedGroup()
                                .addField(Types.required(PrimitiveTypeName.BINARY)
                                        .as(LogicalTypeAnnotation.stringType()).named("key"))
                                .addField(Types.optional(PrimitiveTypeName.BINARY)
                                        .as(LogicalTypeAnnotation.stringType()).named("value"))
                                .named("key_value"))
                        .named("tags"));
        Path file = dir.resolve("t.parquet");
        Random random = new Random(7);
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration()).withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY).withWriterVersion(version)
                .withDictionaryEncoding(dictionary).withDictionaryPageSize(4 << 10).withPageSize(2 << 10)
                .withRowGroupSize(256 << 10).withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
            for (int r = 0; r < 30_000; r++) {
                Group g = groups.newGroup();
                if (random.nextInt(50) != 0) {
                    g.add("id", "i-" + (r < 10_000 ? random.nextInt(40) : random.nextInt(5_000)));
                }
                g.add("kind", random.nextBoolean() ? "Usage" : "Tax");
                if (random.nextInt(30) != 0) {
                    g.add("cost", r < 15_000 ? random.nextInt(20) * 0.25 : random.nextDouble() * 100);
                }
                if (random.nextInt(40) != 0) {
                    g.add("start", 1_485_907_200_000_000L + 3_600_000_000L * (r / 700));
                }
                if (random.nextInt(3) != 0) {
                    g.add("n", random.nextInt(1000) - 500);
                }
                if (random.nextInt(4) != 0) {
                    g.add("flag", random.nextBoolean());
                }
                if (random.nextInt(5) != 0) {
                    g.add("f", random.nextFloat());
                }
                if (random.nextInt(6) != 0) {
                    byte[] t = new byte[12];
                    random.nextBytes(t);
                    g.add("t96", Binary.fromConstantByteArray(t));
                }
                if (random.nextInt(4) != 0) {
                    Group tags = g.addGroup("tags");
                    for (int e = random.nextInt(4); e >= 0; e--) {
                        Group entry = tags.addGroup("key_value");
                        entry.add("key", "k" + random.nextInt(6));
                        if (random.nextInt(7) != 0) {
                            entry.add("value", "v\"" + random.nextInt(r < 20_000 ? 9 : 3_000));
                        }
                    }
                }
                writer.write(g);
            }
        }
        // two readers: a column chunk's pages are read once, by one column reader
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options);
             ParquetFileReader ours = ParquetFileReader.open(new LocalInputFile(file), options)) {
            String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
            PageReadStore pages;
            int groupCount = 0;
            while ((pages = reader.readNextRowGroup()) != null) {
                PageReadStore ourPages = ours.readNextRowGroup();
                groupCount++;
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages,
                        new DummyRecordConverter(schema).getRootConverter(), schema, createdBy);
                for (ColumnDescriptor column : schema.getColumns()) {
                    compare(column, store.getColumnReader(column),
                            new ParquetColumn(column, ourPages.getPageReader(column),
                                    ParquetColumn.writerVersion(createdBy)));
                }
            }
            assertThat(ours.readNextRowGroup()).isNull();
            assertThat(groupCount).isGreaterThan(1);
        }
    }

    private static void compare(ColumnDescriptor column, ColumnReader expected, ParquetColumn actual) {
        assertThat(actual.getTotalValueCount()).isEqualTo(expected.getTotalValueCount());
        for (long i = 0; i < expected.getTotalValueCount(); i++) {
            String at = column + " value " + i;
            assertThat(actual.getCurrentRepetitionLevel()).as(at).isEqualTo(expected.getCurrentRepetitionLevel());
            assertThat(actual.getCurrentDefinitionLevel()).as(at).isEqualTo(expected.getCurrentDefinitionLevel());
            if (expected.getCurrentDefinitionLevel() == column.getMaxDefinitionLevel()) {
                switch (column.getPrimitiveType().getPrimitiveTypeName()) {
                    case DOUBLE -> assertThat(Double.doubleToRawLongBits(actual.getDouble())).as(at)
                            .isEqualTo(Double.doubleToRawLongBits(expected.getDouble()));
                    case FLOAT -> assertThat(Float.floatToRawIntBits(actual.getFloat())).as(at)
                            .isEqualTo(Float.floatToRawIntBits(expected.getFloat()));
                    case INT64 -> assertThat(actual.getLong()).as(at).isEqualTo(expected.getLong());
                    case INT32 -> assertThat(actual.getInteger()).as(at).isEqualTo(expected.getInteger());
                    case BOOLEAN -> assertThat(actual.getBoolean()).as(at).isEqualTo(expected.getBoolean());
                    default -> {
                        Binary value = expected.getBinary();
                        assertThat(actual.getBinary()).as(at).isEqualTo(value);
                        assertThat(actual.valueLength()).as(at).isEqualTo(value.length());
                        byte[] copy = new byte[value.length() + 2];
                        actual.copyValue(copy, 1);
                        assertThat(Binary.fromConstantByteArray(copy, 1, value.length())).as(at).isEqualTo(value);
                    }
                }
                expected.skip();
            }
            expected.consume();
            actual.consume();
        }
    }
}
