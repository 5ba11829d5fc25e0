package org.pnnedge.fleet.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.pnnedge.fleet.rollout.RolloutException.Kind;

/**
 * Which device goes in which stage. Stages are cumulative targets: {@code 1,5%,25%,100%} means "1 device, then up to
 * 5 % of the fleet, then 25 %, then all" (a count or a percentage, rounded up, at least one more device than the
 * stage before where the fleet allows). The order is the named canaries first, then the other devices sorted by
 * SHA-256(seed ‖ device id): the same fleet and seed give the same stages, on any machine.
 *
 * @param specs  the stage specs as given ("1", "5%", …)
 * @param ends   cumulative device count at the end of each stage
 * @param order  the devices in rollout order
 */
public record StagePlan(List<String> specs, List<Integer> ends, List<String> order) {
    public StagePlan {
        specs = List.copyOf(specs);
        ends = List.copyOf(ends);
        order = List.copyOf(order);
    }

    /** Plans {@code stages} over {@code devices}; named errors for a bad stage list, an empty fleet, a stray canary. */
    public static StagePlan of(String stages, List<String> devices, List<String> canaries, long seed)
            throws RolloutException {
        if (devices.isEmpty()) {
            throw new RolloutException(Kind.EMPTY_FLEET, "the fleet has no devices: nothing to roll out to");
        }
        Set<String> all = new HashSet<>(devices);
        for (String c : canaries) {
            if (!all.contains(c)) {
                throw new RolloutException(Kind.BAD_OPTION, "canary '" + c + "' is not a device of this fleet");
            }
        }
        List<String> specs = parse(stages);
        int n = devices.size();
        List<Integer> ends = new ArrayList<>();
        int prev = 0;
        for (String s : specs) {
            int end = s.endsWith("%") ? (int) Math.ceil(n * Double.parseDouble(s.substring(0, s.length() - 1)) / 100.0)
                    : Integer.parseInt(s);
            end = Math.min(n, Math.max(end, Math.min(n, prev + 1)));
            ends.add(end);
            prev = end;
        }
        LinkedHashSet<String> order = new LinkedHashSet<>(canaries);
        devices.stream().filter(d -> !order.contains(d))
                .sorted(Comparator.comparing((String d) -> hash(seed, d)).thenComparing(d -> d))
                .forEach(order::add);
        return new StagePlan(specs, ends, new ArrayList<>(order));
    }

    /** Parses "1,5%,25%,100%": counts ≥ 1 or percentages in (0, 100], not decreasing, the last one 100 %. */
    public static List<String> parse(String stages) throws RolloutException {
        List<String> out = new ArrayList<>();
        double lastPct = 0;
        for (String raw : stages.split(",", -1)) {
            String s = raw.strip();
            try {
                if (s.endsWith("%")) {
                    double p = Double.parseDouble(s.substring(0, s.length() - 1));
                    if (!(p > 0 && p <= 100) || p < lastPct) {
                        throw new NumberFormatException();
                    }
                    lastPct = p;
                } else if (Integer.parseInt(s) < 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new RolloutException(Kind.BAD_STAGES, "stage '" + s + "' in '" + stages + "' is neither a device "
                        + "count ≥ 1 nor a percentage in (0, 100] not below the one before");
            }
            out.add(s);
        }
        String last = out.get(out.size() - 1);
        if (!last.endsWith("%") || Double.parseDouble(last.substring(0, last.length() - 1)) != 100.0) {
            throw new RolloutException(Kind.BAD_STAGES, "stages '" + stages + "' do not end at 100%: the last stage must "
                    + "be 100% so that every device is covered (e.g. 1,5%,25%,100%)");
        }
        return out;
    }

    public int stages() {
        return ends.size();
    }

    /** Stage number (1-based) of the device at {@code position} (0-based) in {@link #order()}. */
    public int stageOf(int position) {
        for (int i = 0; i < ends.size(); i++) {
            if (position < ends.get(i)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("position " + position + " beyond the fleet of " + order.size());
    }

    /** Devices of stage {@code k} (1-based). */
    public List<String> devicesOf(int k) {
        return order.subList(k == 1 ? 0 : ends.get(k - 2), ends.get(k - 1));
    }

    private static String hash(long seed, String id) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Long.toString(seed).getBytes(StandardCharsets.US_ASCII));
            md.update((byte) 0);
            return java.util.HexFormat.of().formatHex(md.digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
