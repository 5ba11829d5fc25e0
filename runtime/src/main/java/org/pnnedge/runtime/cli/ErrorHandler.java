package org.pnnedge.runtime.cli;

import org.pnnedge.bridge.DeviceException;
import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.data.DatasetException;
import org.pnnedge.runtime.demo.BrokerStartException;
import org.pnnedge.runtime.fleet.FleetException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns expected failures (bad input, device faults) into one clear line and exit code, not a stack trace. */
final class ErrorHandler implements IExecutionExceptionHandler {
    static final int EXIT_DEVICE = 3;
    static final int EXIT_USAGE = 2;
    static final int EXIT_BUNDLE = 4;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        if (ex instanceof DeviceException) {
            cl.getErr().println("pnn: device error: " + ex.getMessage());
            return EXIT_DEVICE;
        }
        if (ex instanceof BundleException b) {
            cl.getErr().println("pnn: " + b.getMessage() + " [" + b.reason() + "]");
            return EXIT_BUNDLE;
        }
        // a state directory written by a newer version, a broker node/the cluster failed, the demo's broker did not
        // start in time: the message names which and why
        if (ex instanceof org.pnnedge.runtime.edge.StateVersion.RefusedException || ex instanceof FleetException
                || ex instanceof BrokerStartException) {
            cl.getErr().println("pnn: " + ex.getMessage());
            return 1;
        }
        // DatasetException: a data file that cannot be read, parsed or written; its message names the file
        if (ex instanceof IllegalArgumentException || ex instanceof CliException || ex instanceof DatasetException) {
            cl.getErr().println("pnn: " + ex.getMessage());
            return EXIT_USAGE;
        }
        cl.getErr().println("pnn: unexpected error: " + ex);
        ex.printStackTrace(cl.getErr());
        return 1;
    }
}
