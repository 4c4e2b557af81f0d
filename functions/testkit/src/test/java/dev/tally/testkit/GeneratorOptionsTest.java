package dev.tally.testkit;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The one definition of the generator's options: names, help and defaults agree with what the spec reads. */
class GeneratorOptionsTest {
    @Test
    void shouldListEveryOptionInTheHelp_whenAskedForUsage() {
        assertThat(MonthSpec.OPTION_NAMES).hasSize(GeneratorOptions.ALL.size());
        for (GeneratorOption o : GeneratorOptions.ALL) {
            assertThat(GenerateCommand.usage()).contains(o.flagName() + (o.flag() ? " " : " " + o.paramLabel()));
        }
    }

    @Test
    void shouldGiveTheDefaultSpec_whenEveryDefaultIsPassedBack() {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (GeneratorOption o : GeneratorOptions.ALL) {
            if (o.defaultValue() != null) {
                defaults.put(o.name(), o.defaultValue());
            }
        }
        assertThat(defaults).containsEntry("rows", "10000").containsEntry("compression", "none")
                .containsEntry("period", "2017-02").containsEntry("tag-key", "product_area");
        assertThat(MonthSpec.fromOptions(defaults)).isEqualTo(MonthSpec.builder().build());
        assertThat(GeneratorOptions.get("messy").flag()).isTrue();
    }
}
