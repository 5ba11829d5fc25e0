/**
 * The wire protocol of protocol.md, with no notion of links or devices: frame layout and codec, CRC-32C, opcodes,
 * status codes, payload sizes and code vectors. Host and emulated firmware both build on it.
 *
 * <p><b>May import</b> nothing of the bridge: it is the bottom layer ({@code PackageCycleTest} checks it).
 */
package org.pnnedge.bridge.protocol;
