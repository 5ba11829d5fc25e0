package org.pnnedge.runtime.cli;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.pnnedge.runtime.edge.ControlServer;

/**
 * The commands' side of the service's control socket (status, recalibrate, classify, listen): a socket nobody
 * answers on (a stale one after a crash, or a --socket that names a plain file) is reported with its path, not as a
 * bare "Connection refused".
 */
final class ControlClient {
    private ControlClient() {
    }

    static JsonNode request(Path socket, JsonNode request, Duration timeout) throws IOException {
        try {
            return ControlServer.request(socket, request, timeout);
        } catch (SocketTimeoutException e) {
            throw e; // "no answer yet" keeps its own type (recalibrate: exit 3)
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            if (why.contains(socket.toString())) {
                throw e; // already names it ("no service is running (control socket ... does not exist)")
            }
            String what = Files.isRegularFile(socket) || Files.isDirectory(socket) ? ", which is not a socket" : "";
            throw new IOException("no service answers on the control socket " + socket + what + " (" + why + ")", e);
        }
    }
}
