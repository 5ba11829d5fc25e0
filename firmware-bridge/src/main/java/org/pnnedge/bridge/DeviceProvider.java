package org.pnnedge.bridge;

/**
 * Opens devices of one URI scheme ({@code spi}, {@code tcp}, {@code emulator}, ...). Providers are found with
 * {@link java.util.ServiceLoader} (listed in {@code META-INF/services/org.pnnedge.bridge.DeviceProvider}), so this
 * package names no transport and a new kind of link is one class and one line in that file, as Pi4J and DJL find
 * their providers. When two providers claim a scheme, the first on the class path wins.
 */
public interface DeviceProvider {
    /** The URI scheme served, lower case, without the colon. */
    String scheme();

    /** A URI template for messages, e.g. {@code tcp://host:port}. */
    String example();

    /**
     * Parses the rest of a device URI and checks it completely, so a bad URI fails before anything is opened.
     *
     * @param specific what follows {@code scheme:} up to the query (e.g. {@code 0.0}, {@code //host:7878}, {@code shg})
     * @param query    the query parameters, link options ({@code timeout}, {@code retries}) already taken out
     * @throws IllegalArgumentException saying what is wrong; {@link DeviceAddress#parse} adds the URI
     */
    DeviceEndpoint parse(String specific, UriQuery query);
}
