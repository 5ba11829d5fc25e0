package org.pnnedge.runtime.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.Flags;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.emulator.EmulatorConfig;
import org.pnnedge.bridge.emulator.EmulatorEndpoint;
import org.pnnedge.bridge.emulator.FaultConfig;
import org.pnnedge.bridge.emulator.Timing;
import org.pnnedge.bridge.server.DeviceServer;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "emulate", description = "Serve an emulated PNN device over TCP (loopback by default).")
final class EmulateCommand implements Callable<Integer> {
    @Option(names = "--physics", required = true, description = "shg or circuit")
    String physics;

    @Option(names = "--port", required = true, description = "TCP port (0 picks a free one).")
    int port;

    @Option(names = "--seed", defaultValue = "1", description = "Device seed: serial number and manufacturing mismatch (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--session", defaultValue = "0", description = "Which session of the unit: 0 = how a fresh "
            + "device of this seed always starts; N > 0 = the same unit at another time (its drifts elsewhere, other "
            + "noise draws) (default ${DEFAULT-VALUE}).")
    long session;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Listen address (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--allow-remote", description = "Allow a non-loopback --bind address (with mutual TLS, "
            + "--tls-cert/--tls-key/--tls-ca, or --insecure-no-auth).")
    boolean allowRemote;

    @Option(names = "--noise", defaultValue = "on", description = "Shot and read noise: on|off (default ${DEFAULT-VALUE}).")
    String noise;

    @Option(names = "--mismatch", defaultValue = "on", description = "Manufacturing mismatch: on|off (default ${DEFAULT-VALUE}).")
    String mismatch;

    @Option(names = "--drift", defaultValue = "on", description = "Slow drift (laser power, temperature): on|off (default ${DEFAULT-VALUE}).")
    String drift;

    @Option(names = "--timing", defaultValue = "realistic", description = "realistic|zero: wait the modelled shot time or answer at once (default ${DEFAULT-VALUE}).")
    String timing;

    @Option(names = "--shot-us", defaultValue = "0", description = "Override the modelled time per shot in µs (0 = the physics' typical time).")
    long shotMicros;

    @Option(names = "--ambient", defaultValue = "22", description = "Ambient temperature in °C (default ${DEFAULT-VALUE}).")
    double ambient;

    @Option(names = "--corrupt", defaultValue = "0", description = "Probability of a bit flip per byte on the wire.")
    double corrupt;

    @Option(names = "--drop", defaultValue = "0", description = "Probability that a response is lost.")
    double drop;

    @Option(names = "--stuck", defaultValue = "0", description = "Probability that DATA_READY sticks low until RESET.")
    double stuck;

    @Option(names = "--reboot", defaultValue = "0", description = "Probability of a spontaneous reboot per request.")
    double reboot;

    @picocli.CommandLine.Mixin
    ServerLimitsOptions serverLimits;

    @picocli.CommandLine.Mixin
    ServerSecurityOptions serverSecurity;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        InetAddress addr = DeviceCommand.Serving.bindAddress(bind, allowRemote);
        if (shotMicros < 0) { // the emulator's own check says "times must be >= 0", naming no option
            throw new CliException("--shot-us must be 0 (the physics' time) or more, got " + shotMicros);
        }
        EmulatorConfig config = EmulatorConfig.builder(PhysicsKind.fromId(physics)).seed(seed).session(session)
                .noise(onOff("--noise", noise)).mismatch(onOff("--mismatch", mismatch)).drift(onOff("--drift", drift))
                .timing(timing(timing)).shotMicros(shotMicros).ambientC(ambient)
                .faults(new FaultConfig(corrupt, drop, stuck, reboot)).build();
        EmulatedDevice device = new EmulatedDevice(config);
        DeviceInfo d = device.info();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("emulated %s device %s: %d inputs, %d params, %d outputs, %d µs/shot (%s timing), noise %s, "
                        + "mismatch %s, drift %s%n", d.kind().id(), d.serialHex(), d.inputs(), d.params(), d.outputs(),
                d.typicalShotMicros(), config.timing().name().toLowerCase(Locale.ROOT), noise, mismatch, drift);
        if (config.faults().any()) {
            out.printf("fault injection: %s%n", config.faults());
        }
        EmulatorEndpoint endpoint = new EmulatorEndpoint(config);
        InProcessTransport transport = new InProcessTransport(device, endpoint.describe());
        try (DeviceServer server = serverSecurity.start(transport, addr, port, serverLimits.limits())) {
            DeviceCommand.Serving.announce(out, endpoint.uri(), server);
            DeviceCommand.Serving.awaitShutdown(server);
        }
        return 0;
    }

    static boolean onOff(String option, String v) {
        try {
            return Flags.parseBoolean(option, v); // the same words as device URIs and the configuration
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    static Timing timing(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "realistic" -> Timing.REALISTIC;
            case "zero" -> Timing.ZERO;
            default -> throw new CliException("--timing must be realistic or zero, got '" + v + "'");
        };
    }
}
