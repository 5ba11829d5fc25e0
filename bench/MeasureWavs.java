import org.pnnedge.models.audio.*;
import java.nio.file.*;
import java.util.*;
/**
 * Prints one CSV line per WAV of a folder: file name, the 12 formant values (Hz), F0 (Hz) and the vowel nucleus'
 * duration (ms) as the audio front end measures them. For bench/talker-norm-check.py. Run with the built jars:
 * java -cp "runtime/target/pnn-runtime.jar:runtime/target/lib/*" bench/MeasureWavs.java DIR > DIR.csv
 */
public class MeasureWavs {
  public static void main(String[] a) throws Exception {
    try (var s = Files.list(Path.of(a[0]))) {
      for (Path p : s.filter(x -> x.toString().endsWith(".wav")).sorted().toList()) {
        try {
          var r = FormantFeatures.extract(p);
          StringBuilder sb = new StringBuilder(p.getFileName().toString());
          for (double v : r.featuresHz()) sb.append(',').append(v);
          sb.append(',').append(r.f0Hz()).append(',').append(1000*(r.nucleusEndSec()-r.nucleusStartSec()));
          System.out.println(sb);
        } catch (Exception e) { System.err.println(p + ": " + e.getMessage()); }
      }
    }
  }
}
