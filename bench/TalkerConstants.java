import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.pnnedge.models.data.TalkerNormalization;

/**
 * The talker13 layout's constants, for bench/talker_g_check.py: the vowel corrections d_v of the 7 PAT vowels
 * ({@code dv LABEL VALUE}), then G0(F0) of a talker's first word for every F0 read from standard input, one a line
 * ({@code g0 F0 VALUE}). Run with the ./pnn jars: {@code java -cp "runtime/target/pnn-runtime.jar:runtime/target/lib/*"
 * bench/TalkerConstants.java < f0s.txt}.
 */
public class TalkerConstants {
    public static void main(String[] args) throws Exception {
        for (String label : new String[] {"ae", "ah", "aw", "uw", "er", "iy", "ih"}) {
            System.out.printf(Locale.ROOT, "dv %s %.17g%n", label, TalkerNormalization.vowelCorrection(label));
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (!line.isBlank()) {
                double f0 = Double.parseDouble(line.trim());
                System.out.printf(Locale.ROOT, "g0 %s %.17g%n", line.trim(), TalkerNormalization.firstWordG(f0));
            }
        }
    }
}
