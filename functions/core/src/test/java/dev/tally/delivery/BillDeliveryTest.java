package dev.tally.delivery;

import org.junit.jupiter.api.Test;

import java.time.YearMonth;

import static org.assertj.core.api.Assertions.assertThat;

/** Which objects in a billing bucket start a rollup, and which bill (scope) and period each refreshes. */
class BillDeliveryTest {
    private static BillDelivery.Classified classify(String key) {
        return BillDelivery.classify(new ObjectCreated("bills", key, key, "", "e", "01", 1, null, ""));
    }

    private static BillDelivery found(String key) {
        BillDelivery.Classified c = classify(key);
        assertThat(c).as(key).isInstanceOf(BillDelivery.Classified.Found.class);
        return ((BillDelivery.Classified.Found) c).delivery();
    }

    @Test
    void shouldFindADbr_itsPeriodInItsName() {
        BillDelivery dbr = found("123456789012-aws-billing-detailed-line-items-with-resources-and-tags-2017-02.csv.zip");
        BillDelivery noTags = found("dbr/123456789012-aws-billing-detailed-line-items-2016-11.csv.zip");

        assertThat(dbr.kind()).isEqualTo(BillDelivery.Kind.DBR);
        assertThat(dbr.period()).isEqualTo(YearMonth.of(2017, 2));
        assertThat(dbr.scope()).isEqualTo("bills/123456789012-aws-billing-detailed-line-items-with-resources-and-tags-2017-02.csv.zip");
        assertThat(noTags.period()).isEqualTo(YearMonth.of(2016, 11));
    }

    @Test
    void shouldFindALegacyCurManifest_bothOfADelivery_asOneBill() {
        BillDelivery top = found("cur/hourly/20170801-20170901/hourly-Manifest.json");
        BillDelivery assembly = found("cur/hourly/20170801-20170901/abcd-1234/hourly-Manifest.json");
        BillDelivery overwrite = found("cur/hourly/year=2017/month=8/hourly-Manifest.json");

        assertThat(top.kind()).isEqualTo(BillDelivery.Kind.CUR_MANIFEST);
        assertThat(top.scope()).isEqualTo("bills/cur/hourly").isEqualTo(assembly.scope()).isEqualTo(overwrite.scope());
        assertThat(top.period()).isEqualTo(YearMonth.of(2017, 8)).isEqualTo(assembly.period())
                .isEqualTo(overwrite.period());
        assertThat(found("elsewhere/r-Manifest.json").period()).isNull();
    }

    @Test
    void shouldFindADataExportsManifest_ofEitherSpelling_andEitherMode() {
        BillDelivery cur2 = found("exports/cur2/metadata/BILLING_PERIOD=2024-11/cur2-Manifest.json");
        BillDelivery focus = found("exports/focus/metadata/billing_period=2024-11/focus-Manifest.json");
        BillDelivery createNew = found(
                "exports/focus/metadata/billing_period=2024-11/2024-11-02T01:02:03.456Z-e1/focus-Manifest.json");

        assertThat(cur2.kind()).isEqualTo(BillDelivery.Kind.DATA_EXPORTS_MANIFEST);
        assertThat(cur2.scope()).isEqualTo("bills/exports/cur2");
        assertThat(focus.scope()).isEqualTo("bills/exports/focus").isEqualTo(createNew.scope());
        assertThat(createNew.period()).isEqualTo(YearMonth.of(2024, 11));
    }

    @Test
    void shouldIgnoreBillPartsAndEverythingElse() {
        assertThat(classify("cur/hourly/20170801-20170901/abcd/hourly-1.csv.gz"))
                .isInstanceOf(BillDelivery.Classified.Ignored.class);
        assertThat(classify("exports/cur2/data/BILLING_PERIOD=2024-11/cur2-00001.csv.gz"))
                .isInstanceOf(BillDelivery.Classified.Ignored.class);
        assertThat(classify("notes/readme.txt")).isInstanceOf(BillDelivery.Classified.Ignored.class);
        assertThat(classify("123456789012-aws-billing-csv-2017-02.csv"))
                .isInstanceOf(BillDelivery.Classified.Ignored.class);
    }
}
