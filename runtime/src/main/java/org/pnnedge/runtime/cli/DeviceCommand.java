package org.pnnedge.runtime.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.pnnedge.bridge.DeviceAddress;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.SelfTestCheck;
import org.pnnedge.bridge.SelfTestReport;
import org.pnnedge.bridge.SensorReading;
import org.pnnedge.bridge.Sensors;
import org.pnnedge.bridge.server.DeviceServer;
import org.pnnedge.bridge.transport.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "device", description = "Talk to a PNN device (real, over TCP, or emulated) by URI.",
        subcommands = {DeviceCommand.Identify.class, DeviceCommand.Shot.class, DeviceCommand.SensorsCmd.class,
                DeviceCommand.SelfTest.class, DeviceCommand.Serve.class, DeviceTourCommand.class})
final class DeviceCommand {

    /** Options every device subcommand shares. */
    static final class DeviceOptions {
        @Option(names = "--device", required = true, paramLabel = "URI",
                description = "spi:<bus>.<cs>?baud=..&ready=<gpio>&reset=<gpio> | tcp://host:port | "
                        + "emulator:<shg|circuit>?seed=N[&noise=off]")
        String uri;

        @Option(names = "--json", description = "Print machine-readable JSON.")
        boolean json;
    }

    /**
     * A subcommand that opens the device of {@code --device}, does one thing with it and prints the result (as text
     * or, with {@code --json}, JSON): the opening and closing every such subcommand shares.
     */
    abstract static class OnDevice implements Callable<Integer> {
        @Mixin
        DeviceOptions dev;
        @Spec
        CommandSpec spec;

        @Override
        public final Integer call() {
            check();
            try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(dev.uri)) {
                return run(link, spec.commandLine().getOut());
            }
        }

        /** Checks the options before the device is opened (a usage error touches no device); none by default. */
        void check() {
        }

        /** The subcommand's work on the open link; returns the exit code. */
        abstract int run(DeviceLink link, PrintWriter out);
    }

    static Map<String, Object> infoMap(DeviceInfo d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("serial", d.serialHex());
        m.put("physics", d.kind().id());
        m.put("firmware", d.firmwareVersion());
        m.put("protocol", d.protocolVersion());
        m.put("emulated", d.emulated());
        m.put("inputs", d.inputs());
        m.put("params", d.params());
        m.put("outputs", d.outputs());
        m.put("dac_bits", d.dacBits());
        m.put("adc_bits", d.adcBits());
        m.put("slots", d.slots());
        m.put("max_batch", d.maxBatch());
        m.put("typical_shot_us", d.typicalShotMicros());
        return m;
    }

    @Command(name = "identify", description = "Ask the device what it is (IDENTIFY).")
    static final class Identify extends OnDevice {
        @Override
        int run(DeviceLink link, PrintWriter out) {
            DeviceInfo d = link.identify();
            if (dev.json) {
                out.println(Json.write(infoMap(d)));
            } else {
                out.printf("device      %s (%s)%n", d.serialHex(), link.describe());
                out.printf("physics     %s%s%n", d.kind().id(), d.emulated() ? " (emulated)" : "");
                out.printf("firmware    %s, protocol v%d%n", d.firmwareVersion(), d.protocolVersion());
                out.printf("channels    %d inputs, %d parameters, %d outputs%n", d.inputs(), d.params(), d.outputs());
                out.printf("converters  DAC %d-bit (0..%d), ADC %d-bit (0..%d)%n", d.dacBits(), d.maxDacCode(),
                        d.adcBits(), d.maxAdcCode());
                out.printf("slots       %d, max batch %d shots%n", d.slots(), d.maxBatch());
                out.printf("shot time   %d µs typical%n", d.typicalShotMicros());
            }
            return 0;
        }
    }

    @Command(name = "shot", description = "Load parameters into a slot and run shots; prints the output codes.")
    static final class Shot extends OnDevice {
        @Option(names = "--params", paramLabel = "CODES",
                description = "Parameter codes, comma-separated; 'V*N' repeats V N times (e.g. 2048*32). "
                        + "Omit to use what the slot already holds.")
        String params;

        @Option(names = "--input", required = true, paramLabel = "CODES",
                description = "Input codes, comma-separated; 'V*N' repeats. Codes and --params are in the device's "
                        + "DAC range (0..4095 for 12 bits; pnn device identify shows it).")
        String input;

        @Option(names = "--slot", defaultValue = "0", description = "Parameter slot (default ${DEFAULT-VALUE}).")
        int slot;

        @Option(names = "--repeat", defaultValue = "1", description = "Shots to run with the same input (default ${DEFAULT-VALUE}).")
        int repeat;

        private int[] in;

        @Override
        void check() {
            if (repeat < 1 || repeat > 100_000) {
                throw new CliException("--repeat must be in 1..100000, got " + repeat);
            }
            in = Codes.parse("--input", input);
        }

        @Override
        int run(DeviceLink link, PrintWriter out) {
            DeviceInfo d = link.info();
            // what the user typed is checked against the device's IDENTIFY before anything is sent: a value the
            // link would refuse is bad input (exit 2) naming the option, not a device error
            if (slot < 0 || slot >= d.slots()) {
                throw new CliException("--slot " + slot + " is outside 0.." + (d.slots() - 1) + ": device "
                        + d.serialHex() + " (" + d.kind().id() + ") has " + d.slots() + " parameter slots");
            }
            if (in.length != d.inputs()) {
                throw new CliException("--input has " + in.length + " codes; device " + d.serialHex()
                        + " (" + d.kind().id() + ") takes " + d.inputs());
            }
            requireDacRange("--input", in, d);
            if (params != null) {
                int[] p = Codes.parse("--params", params);
                if (p.length != d.params()) {
                    throw new CliException("--params has " + p.length + " codes; device " + d.serialHex()
                            + " (" + d.kind().id() + ") takes " + d.params());
                }
                requireDacRange("--params", p, d);
                link.loadParams(slot, p);
            }
            int[][] inputs = new int[repeat][];
            Arrays.fill(inputs, in);
            int[][] outs = link.shotBatch(slot, inputs);
            if (dev.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("device", d.serialHex());
                m.put("physics", d.kind().id());
                m.put("slot", slot);
                m.put("input", in);
                m.put("outputs", repeat == 1 ? outs[0] : outs);
                out.println(Json.write(m));
            } else {
                for (int[] o : outs) {
                    out.println(String.join(",", Arrays.stream(o).mapToObj(Integer::toString).toList()));
                }
            }
            return 0;
        }

        private static void requireDacRange(String option, int[] codes, DeviceInfo d) {
            for (int i = 0; i < codes.length; i++) {
                if (codes[i] > d.maxDacCode()) { // Codes.parse already refuses negatives
                    throw new CliException(option + ": code " + codes[i] + " (element " + (i + 1) + ") is outside "
                            + "the DAC range 0.." + d.maxDacCode() + " of device " + d.serialHex() + " ("
                            + d.kind().id() + ", " + d.dacBits() + "-bit DAC)");
                }
            }
        }
    }

    @Command(name = "sensors", description = "Read the device's sensors (temperature, laser power, supply...).")
    static final class SensorsCmd extends OnDevice {
        @Override
        int run(DeviceLink link, PrintWriter out) {
            Sensors s = link.sensors();
            if (dev.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (SensorReading r : s.readings()) {
                    m.put(r.key(), r.value());
                }
                out.println(Json.write(m));
            } else {
                for (SensorReading r : s.readings()) {
                    String unit = r.sensor() == null ? "" : r.sensor().unit();
                    out.printf("%-22s %12.3f %s%n", r.key(), r.value(), unit);
                }
            }
            return 0;
        }
    }

    @Command(name = "selftest", description = "Run the firmware's self test.")
    static final class SelfTest extends OnDevice {
        @Override
        int run(DeviceLink link, PrintWriter out) {
            SelfTestReport r = link.selfTest();
            if (dev.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("passed", r.passed());
                m.put("checks", r.checks().stream().map(c -> Map.of("check", c.name(), "passed", c.passed(),
                        "measured", c.measured())).toList());
                out.println(Json.write(m));
            } else {
                for (SelfTestCheck c : r.checks()) {
                    out.printf("%-14s %-4s %.3f%n", c.name(), c.passed() ? "ok" : "FAIL", c.measured());
                }
                out.println(r.passed() ? "self test passed" : "self test FAILED");
            }
            return r.passed() ? 0 : 1;
        }
    }

    @Command(name = "serve", description = "Expose a device over TCP so a workstation can use it as tcp://host:port.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--device", required = true, paramLabel = "URI", description = "Device to expose.")
        String uri;

        @Option(names = "--port", required = true, description = "TCP port (0 picks a free one).")
        int port;

        @Option(names = "--bind", defaultValue = "127.0.0.1",
                description = "Address to listen on (default ${DEFAULT-VALUE}).")
        String bind;

        @Option(names = "--allow-remote", description = "Allow a non-loopback --bind address (with mutual TLS, "
                + "--tls-cert/--tls-key/--tls-ca, or --insecure-no-auth).")
        boolean allowRemote;

        @picocli.CommandLine.Mixin
        ServerLimitsOptions serverLimits;

        @picocli.CommandLine.Mixin
        ServerSecurityOptions serverSecurity;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            InetAddress addr = Serving.bindAddress(bind, allowRemote);
            serverSecurity.security(); // a usage error before the device is opened
            try (DeviceContext ctx = DeviceContext.create()) {
                DeviceAddress address = DeviceAddress.parse(uri);
                Transport t = ctx.openTransport(address);
                try (DeviceServer server = serverSecurity.start(t, addr, port, serverLimits.limits())) {
                    Serving.announce(spec.commandLine().getOut(), address.uri(), server);
                    Serving.awaitShutdown(ctx, server);
                }
            }
            return 0;
        }
    }

    /** Helpers shared by {@code device serve} and {@code emulate}. */
    static final class Serving {
        private Serving() {
        }

        static InetAddress bindAddress(String bind, boolean allowRemote) {
            InetAddress addr;
            try {
                addr = InetAddress.getByName(bind);
            } catch (java.net.UnknownHostException e) {
                throw new CliException("--bind: unknown address '" + bind + "'");
            }
            if (!addr.isLoopbackAddress() && !allowRemote) {
                throw new CliException("--bind " + bind + " is not a loopback address; add --allow-remote to expose "
                        + "the device beyond this machine");
            }
            return addr;
        }

        static void announce(PrintWriter out, String what, DeviceServer server) {
            String host = server.address().getHostAddress();
            if (host.contains(":")) {
                host = "[" + host + "]";
            }
            out.printf("serving %s on tcp://%s:%d (Ctrl-C to stop)%n", what, host, server.port());
            out.flush();
        }

        /** Blocks until SIGINT/SIGTERM; closes {@code resources} (last first) inside the shutdown hook. */
        static void awaitShutdown(AutoCloseable... resources) throws InterruptedException {
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (int i = resources.length - 1; i >= 0; i--) {
                    try {
                        resources[i].close();
                    } catch (Exception e) {
                        // stopping anyway
                    }
                }
                stop.countDown();
            }, "pnn-shutdown"));
            stop.await();
        }
    }
}
