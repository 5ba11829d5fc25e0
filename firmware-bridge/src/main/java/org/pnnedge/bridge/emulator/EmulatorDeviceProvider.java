package org.pnnedge.bridge.emulator;

import java.util.Locale;

import org.pnnedge.bridge.DeviceProvider;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.UriQuery;

/**
 * The {@code emulator:<shg|circuit>?seed=…&session=…&noise=…&mismatch=…&drift=…&timing=…&shot_us=…&slots=…&ambient=…
 * &corrupt=…&drop=…&stuck=…&reboot=…&energy=…&protocol=…} scheme (protocol.md, "Emulated firmware").
 */
public final class EmulatorDeviceProvider implements DeviceProvider {
    @Override
    public String scheme() {
        return "emulator";
    }

    @Override
    public String example() {
        return "emulator:<shg|circuit>";
    }

    @Override
    public EmulatorEndpoint parse(String kind, UriQuery q) {
        EmulatorConfig.Builder b = EmulatorConfig.builder(PhysicsKind.fromId(kind));
        q.ifLong("seed", b::seed);
        q.ifLong("session", b::session);
        q.ifOnOff("noise", b::noise);
        q.ifOnOff("mismatch", b::mismatch);
        q.ifOnOff("drift", b::drift);
        if (q.has("timing")) {
            String t = q.get("timing").toLowerCase(Locale.ROOT);
            b.timing(switch (t) {
                case "zero" -> Timing.ZERO;
                case "realistic" -> Timing.REALISTIC;
                default -> throw new IllegalArgumentException("timing must be 'zero' or 'realistic', got '" + t + "'");
            });
        }
        q.ifLong("shot_us", b::shotMicros);
        q.ifInt("slots", b::slots);
        q.ifDouble("ambient", b::ambientC);
        if (q.has("energy")) {
            b.energy(q.get("energy"));
        }
        q.ifInt("protocol", b::protocolVersion);
        double corrupt = q.doubleOr("corrupt", 0);
        double drop = q.doubleOr("drop", 0);
        double stuck = q.doubleOr("stuck", 0);
        double reboot = q.doubleOr("reboot", 0);
        q.requireOnly("seed", "session", "noise", "mismatch", "drift", "timing", "shot_us", "slots", "ambient",
                "corrupt", "drop", "stuck", "reboot", "energy", "protocol");
        return new EmulatorEndpoint(b.faults(new FaultConfig(corrupt, drop, stuck, reboot)).build());
    }
}
