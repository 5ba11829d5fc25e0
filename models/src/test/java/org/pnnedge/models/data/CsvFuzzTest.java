package org.pnnedge.models.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.Size;
import org.pnnedge.bridge.fuzz.Fuzz;

/** The CSV dataset loader's contract on hostile text: a {@link Dataset} or a {@link DatasetException}, nothing else. */
class CsvFuzzTest {
    private static final Path SOURCE = Path.of("fuzz.csv");
    private static final String VALID = """
            # labels: iy,ih,eh
            f1,f2,f3,label
            0.43,0.35,0.73,iy
            0.45,-1e-3,0.75,eh
            .5,3,+7,ih
            """;

    private static void parse(String text, List<String> labels) {
        Fuzz.accepted(() -> CsvDatasets.parse(text, SOURCE, labels), DatasetException.class);
    }

    @Property
    void csvAlphabetSoupLoadsOrIsRefused(@ForAll @Chars({',', '\n', '#', '.', '-', '+', 'e', 'E', '0', '1', '9', ' ',
            'l', 'a', 'b', ':', 'n', 'i', 'f', '\uFEFF', '"'}) @Size(max = 120) String text) {
        parse(text, null);
        parse(text, List.of("a", "b"));
    }

    @Property
    void randomTextLoadsOrIsRefused(@ForAll @Size(max = 120) String text) {
        parse(text, null);
    }

    @Property
    void mutatedValidFilesLoadOrAreRefused(@ForAll long seed) {
        String text = new String(Fuzz.mutate(VALID.getBytes(StandardCharsets.UTF_8), seed), StandardCharsets.UTF_8);
        parse(text, null);
        parse(text, List.of("iy", "ih", "eh"));
    }

    @Example
    void regressionSeedsAreRefused() {
        Fuzz.corpus(CsvFuzzTest.class, "csv").forEach(b -> parse(new String(b, StandardCharsets.UTF_8), null));
    }
}
