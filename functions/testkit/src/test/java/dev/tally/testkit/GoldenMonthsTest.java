package dev.tally.testkit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generator's output, pinned byte for byte: small months of every format, compression and option, hashed
 * (SHA-256 over every file it writes, by name) and compared with the hashes recorded when this test was written.
 * A refactoring of the generator must keep them; a deliberate change of the output updates them (run with
 * {@code -Dgolden.print=true} to print the new ones).
 */
class GoldenMonthsTest {
    @TempDir
    Path dir;

    /** Options shared by every case: a small month with every entity kind. */
    private static Map<String, String> base() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("rows", "1500");
        o.put("instances", "5");
        o.put("services", "6");
        o.put("clusters", "2");
        o.put("volumes", "8");
        o.put("seed", "7");
        return o;
    }

    /** Case name (the extra options, {@code k=v} separated by spaces) → expected hash. */
    private static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
            // recorded from the generator as it was before Simulation was split by concern (issue 13)
            Map.entry("format=cur compression=gzip messy= no-resource-ids= extra-decimals= stray-period-rows=3", "b13f153c02f8cdf3bf06b85cebe004cd5c460e8d4953e648f8b1fd4d94c92be7"),
            Map.entry("format=cur compression=gzip messy=", "d564d1c95701fb25557a1488a6f3e5dbd7ba0e40930943e2bbee861094836fdb"),
            Map.entry("format=cur compression=gzip", "61cf32a9b94d77ce1ae8c6536c2f9e3cb274f79f5b252fcdaf3ad17d1e905e3e"),
            Map.entry("format=cur compression=none messy=", "fa76147841de43ac36bf2bbcc3316bb7c0c5d3a408d072a476d7531a38c889d3"),
            Map.entry("format=cur compression=none", "9d1719b9cc05d7466d1fef0916be69bc1412cc9c772c8616575c4ebc6195f7b5"),
            Map.entry("format=cur compression=zip messy=", "0378d3376aa015fcb0cd84b88337fd4535736401b394bf3ef789a78c2edcf10e"),
            Map.entry("format=cur compression=zip", "07d98b459d09cb83ded92d37fd27f5e4aefc90f55356baad2a95a0c197fff907"),
            Map.entry("format=cur estimated= period=2024-02 fargate-share=0.5 tag-key=team", "6e94ac3086407c714f1098124e3495baec4bdc1430adaa2a3ce96575cd733592"),
            Map.entry("format=cur extra-decimals=", "a0454156ba8003ddd89ce1086d8c21dc782f8a71e4f62ed62a65552a45fdce5a"),
            Map.entry("format=cur messy= events-gzip= malformed-rows=4", "8b4e98d4f7f87f6076af032147da77ae3a90bda855590ea150cee17df8b0aba0"),
            Map.entry("format=cur no-resource-ids=", "e663c75b78c9e6db58a019b6193dec0d81b87fa2b6c89aed3eafc27929ea5f85"),
            Map.entry("format=cur rows=6000 instances=0 services=0 clusters=0 volumes=0 seed=3 messy= noise-rate=0.05 duplicate-rate=0.03 shuffle-window=64 malformed-events=2", "98f5fac94ced8b221a40a0ff3e418500d67c9a31b5bad9f3eda787b916a46c31"),
            Map.entry("format=cur stray-period-rows=5", "d6d0087b5df5b809b586aec55c0f5d92b85a128db706e1cc8ae76bb47f70b06b"),
            Map.entry("format=cur2 compression=gzip messy= no-resource-ids= extra-decimals= stray-period-rows=3", "a5017cf0c4ec533bbb45f54359e2a6fa84fcfae4a9ce63d892cac8b7ba059b97"),
            Map.entry("format=cur2 compression=gzip messy=", "7c22f7c97f7f454f818151e1aeeaec1be8135f430969302aacfba8f072773f44"),
            Map.entry("format=cur2 compression=gzip", "c55e9eb7c2ac934429454d24cacfb5a26f9df8a533ce9fa2485f7e8506fbdc48"),
            Map.entry("format=cur2 compression=none messy=", "19acf90a47ca8cdd0ebf6274524cbd5fbb410b0f8492034668b9699b21be2f5b"),
            Map.entry("format=cur2 compression=none", "44de8c699ea0d49dae72130fd3065a571a1fcf358e2589553296f1d1066577ea"),
            Map.entry("format=cur2 compression=zip messy=", "58afc2ce8c9c99843064a8285b5f4c54c414b061a8eafa5b54272f5fd549f551"),
            Map.entry("format=cur2 compression=zip", "0a919a51fddf9d49b45a3b88e1c9d6488808bea4015785f8ffddad098376b0d4"),
            Map.entry("format=cur2 estimated= period=2024-02 fargate-share=0.5 tag-key=team", "66c27a2d4fb0eef2e00f6eaf4d2ebc8666d6fbcfc3a2023f8ccd5cc0618dbf30"),
            Map.entry("format=cur2 extra-decimals=", "bafceb6057bb65b05aa4e21aab24ae9111014f437a89def9d14bdcb3beeae62a"),
            Map.entry("format=cur2 messy= events-gzip= malformed-rows=4", "4942406e98bc248b924f671d23cc5c110ff08d2f8fc9c431d1939a5ad732b739"),
            Map.entry("format=cur2 no-resource-ids=", "a3dd45536887ff7628aec9f3d5398ae0172f781e022816ebc067ab1012e010ad"),
            Map.entry("format=cur2 rows=6000 instances=0 services=0 clusters=0 volumes=0 seed=3 messy= noise-rate=0.05 duplicate-rate=0.03 shuffle-window=64 malformed-events=2", "0f9b0250de78d774da42f6eac921782f63f8b38c407aff0681f334de5283a4e5"),
            Map.entry("format=cur2 stray-period-rows=5", "a48434165b28fcb5459546009cb22ae084d2bdfcba2b5abe5e8715ac2243644f"),
            Map.entry("format=dbr compression=gzip messy= no-resource-ids= extra-decimals= stray-period-rows=3", "f7a5e158c3969094f7735c395d2e98eea996b9704f6cf91e4922257a9d7e3daa"),
            Map.entry("format=dbr compression=gzip messy=", "cf6fe4b6d4d11e3d3ccb6e35180b504212b7b922adf74f456523f0c9b75d0bc6"),
            Map.entry("format=dbr compression=gzip", "353c5793578c3179fffba4cf4b7967e5ad6ed70cb7f8b6d8383575484bf75e67"),
            Map.entry("format=dbr compression=none messy=", "eba7f50c930c6f89afaf1909611489ac19020bb29a5fa109d169c62883f44e53"),
            Map.entry("format=dbr compression=none", "8739fe9c16b01c5df6843b8547cece3effa84fbd1c2d527771208a44787d0e22"),
            Map.entry("format=dbr compression=zip messy=", "4d353cd37b8113f8f1a59301fd91f497bbf7f6173f5330fab98c955365436c92"),
            Map.entry("format=dbr compression=zip", "25cd40cf775a4802ae9f16d6fa56263e7a4d95d22f2c8253d4e1c77715ed5a27"),
            Map.entry("format=dbr estimated= period=2024-02 fargate-share=0.5 tag-key=team", "cab0f4ea6328468ccfdeb68e7bad5cdf545ae1bcfb4d4a98c622a169dec9b4f6"),
            Map.entry("format=dbr extra-decimals=", "4bf492514cadfb460a2b440f31304b5c2e2229e49cb0778c273f7296be617742"),
            Map.entry("format=dbr messy= events-gzip= malformed-rows=4", "f97a6e1f3c8721c5fe547a4002af7f01e6e49dd09cd05379d51a0453074a8224"),
            Map.entry("format=dbr no-resource-ids=", "10127e76bc27a905c57e907a89366820482283ad042f8ae3ee46340735c35897"),
            Map.entry("format=dbr rows=6000 instances=0 services=0 clusters=0 volumes=0 seed=3 messy= noise-rate=0.05 duplicate-rate=0.03 shuffle-window=64 malformed-events=2", "a5df97b750b932c132499aafeb30417d85786461f978ac3947bad6ddb07cfbcc"),
            Map.entry("format=dbr stray-period-rows=5", "5ab7c71cfd32cb5cd02aaba6a644227df8f20d1d75748241f44304bc983641c3"),
            Map.entry("format=focus compression=gzip messy= no-resource-ids= extra-decimals= stray-period-rows=3 focus-nulls=", "ef1a95318d7749be3c5f6cf5f0f416141c50365f42c0ba9cd78a6bd097fce0b7"),
            Map.entry("format=focus compression=gzip messy=", "94d494faeab1af6b67cb99f434c12edf4ea36d69a217b2c14d33cff5b615ceb3"),
            Map.entry("format=focus compression=gzip", "ce759198f4a064f8e9e08e3b38c4e8ff7d8d0374e80af30358ca2052f852c3b0"),
            Map.entry("format=focus compression=none messy=", "4b5f58d510bdc4aa340429effeb4c8af62405c339f093a26bb7c3da6263b4ff5"),
            Map.entry("format=focus compression=none", "f0d6d98ded2757f7efe63d6adcb6b3abfef75a7797921a63f04f9da5f9504532"),
            Map.entry("format=focus compression=zip messy=", "449676a7fc8ffc3395f44f1dbbdd89779cd4ef8fe69c07d9c680edc1a0f8bd8a"),
            Map.entry("format=focus compression=zip", "ff6d074bc5326bb0d3259c8789ff3a7b2211d9bf47f8a85daeace5ca68ad0533"),
            Map.entry("format=focus estimated= period=2024-02 fargate-share=0.5 tag-key=team", "b158c66bce2a9f908876999029421546460bf78aa58d6e895bffdf26443c39a6"),
            Map.entry("format=focus extra-decimals=", "8b5a2aa80082a12d553ffd74511141eb56934716cc06b43e382e9a222f887c73"),
            Map.entry("format=focus focus-nulls= compression=zip messy=", "f204ac0fbb2411a6baf87e0626bf43c7d5b6f120f92b57c702996dbe17368e9b"),
            Map.entry("format=focus focus-nulls=", "dcb7c3cd468f2614f930f885945210271c0bc8ac698cad89a07ddf7c2e4e238a"),
            Map.entry("format=focus messy= events-gzip= malformed-rows=4", "fadc74aa05b99719ff9a102385ea42547460b60af46406ae11c89251b5d15869"),
            Map.entry("format=focus no-resource-ids=", "1d2402685ec599cdd51406556455f64ec0293903fa34df9dbf02b5236d7d42a1"),
            Map.entry("format=focus rows=6000 instances=0 services=0 clusters=0 volumes=0 seed=3 messy= noise-rate=0.05 duplicate-rate=0.03 shuffle-window=64 malformed-events=2", "43ddf4849ccf600c9464d7a00c1c08bac0f3b80e7e5899318f60906d598ebae4"),
            Map.entry("format=focus stray-period-rows=5", "49deee239ae6e00edcd346147602c03ced8b34b219e12a7ea5e28dea9a1f9789"),
            // commitments (reservations and savings plans with their amortization), recorded when it was added
            Map.entry("format=dbr commitments=", "8dbb4ffecdc9e70492271d740c441cf12d950a9c559f800f51fac6e28bd81c74"),
            Map.entry("format=dbr commitments= compression=gzip messy= extra-decimals= malformed-rows=3 stray-period-rows=2", "f9014af46794dc69190c129b7675f94338ad0e9162bb4682c75aced443b91fc0"),
            Map.entry("format=cur commitments=", "53f25c96c97271360ee33fb1f0e7e268b923742020d7165af8623d63070bbc5b"),
            Map.entry("format=cur commitments= compression=gzip messy= extra-decimals= malformed-rows=3 stray-period-rows=2", "3c929061b5a102e547bf75bb5e51b1df614206c600fc5d1e3761e7e3a152915b"),
            Map.entry("format=cur2 commitments=", "8599ef04d6ccb8cf13f8cdec2ca25cc36fdccf1245cde56c4d528b957d852014"),
            Map.entry("format=cur2 commitments= compression=gzip messy= extra-decimals= malformed-rows=3 stray-period-rows=2", "affa629fbff95154abf4395b06dda31d540b05f1cd4f9adf8f30f22fb3cdbcd8"),
            Map.entry("format=focus commitments=", "69cf63af565dee0d4472369a3fe8b90d3243355df0a54fdbdfd53dbe7157cbc1"),
            Map.entry("format=focus commitments= compression=gzip messy= extra-decimals= malformed-rows=3 stray-period-rows=2 focus-nulls=", "dfa7dbf9dc8ac47c7267ba5d4acff886c7eba5d0fc179dcd336983637604e1c0"),
            // split cost allocation data (issue 14), recorded when it was added; every case above kept its bytes
            Map.entry("format=cur split-cost-allocation=", "c74475c5cd850140d580ef5d8cb98192c9efa85e2118462cb4bdfa5a6f37c404"),
            Map.entry("format=cur split-cost-allocation= commitments= compression=gzip messy= extra-decimals= malformed-rows=3 ecs-tag-share=0.3 unrecorded-task-share=0.1", "749c3610427af1c2cd993532f151c1f87a31b3b48bbd1c9dcb9879b9a5bf5d62"),
            Map.entry("format=cur2 split-cost-allocation=", "0bb732e4744ee2a9ee8836c0e9397f4bcfcb1532de6515fc018723b69633f3e2"),
            Map.entry("format=cur2 split-cost-allocation= commitments= compression=gzip messy= extra-decimals= malformed-rows=3 ecs-tag-share=0.3 unrecorded-task-share=0.1", "1e10726936dcfdb12f4f651ee7d4e263070912f6d299b0d98d1b1204e0d99bad")
    ));

    static Stream<Arguments> cases() {
        List<String> cases = new ArrayList<>();
        for (String f : List.of("dbr", "cur", "cur2", "focus")) {
            for (String c : List.of("none", "gzip", "zip")) {
                cases.add("format=" + f + " compression=" + c);
                cases.add("format=" + f + " compression=" + c + " messy=");
            }
            cases.add("format=" + f + " messy= events-gzip= malformed-rows=4");
            cases.add("format=" + f + " estimated= period=2024-02 fargate-share=0.5 tag-key=team");
            cases.add("format=" + f + " no-resource-ids=");
            cases.add("format=" + f + " extra-decimals=");
            cases.add("format=" + f + " stray-period-rows=5");
            cases.add("format=" + f + " compression=gzip messy= no-resource-ids= extra-decimals= stray-period-rows=3"
                    + (f.equals("focus") ? " focus-nulls=" : ""));
            cases.add("format=" + f + " rows=6000 instances=0 services=0 clusters=0 volumes=0 seed=3 messy="
                    + " noise-rate=0.05 duplicate-rate=0.03 shuffle-window=64 malformed-events=2");
        }
        cases.add("format=focus focus-nulls=");
        cases.add("format=focus focus-nulls= compression=zip messy=");
        for (String f : List.of("dbr", "cur", "cur2", "focus")) {
            cases.add("format=" + f + " commitments=");
            cases.add("format=" + f + " commitments= compression=gzip messy= extra-decimals= malformed-rows=3"
                    + " stray-period-rows=2" + (f.equals("focus") ? " focus-nulls=" : ""));
        }
        for (String f : List.of("cur", "cur2")) {
            cases.add("format=" + f + " split-cost-allocation=");
            cases.add("format=" + f + " split-cost-allocation= commitments= compression=gzip messy= extra-decimals="
                    + " malformed-rows=3 ecs-tag-share=0.3 unrecorded-task-share=0.1");
        }
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldWriteTheRecordedBytes(String name) throws Exception {
        Map<String, String> options = base();
        for (String kv : name.split(" ")) {
            int eq = kv.indexOf('=');
            options.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        MonthGenerator.generate(MonthSpec.fromOptions(options), dir);
        String hash = hash(dir);
        if (Boolean.getBoolean("golden.print")) {
            System.out.println("GOLDEN Map.entry(\"" + name + "\", \"" + hash + "\"),");
        }
        assertThat(hash).as(name).isEqualTo(EXPECTED.get(name));
    }

    /** SHA-256 over every file of the directory: name, length, bytes, in name order. */
    private static String hash(Path d) throws IOException, NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        List<Path> files;
        try (Stream<Path> s = Files.list(d)) {
            files = s.sorted().toList();
        }
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            md.update((f.getFileName() + "\n" + bytes.length + "\n").getBytes(StandardCharsets.UTF_8));
            md.update(bytes);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
