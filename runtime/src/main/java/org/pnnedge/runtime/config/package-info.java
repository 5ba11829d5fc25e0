/**
 * The edge service's configuration: {@link org.pnnedge.runtime.config.RuntimeConfig} reads the layered keys
 * (defaults, properties file, {@code PNN_*} environment variables, {@code --set}) and parses them once into the
 * records of {@link org.pnnedge.runtime.config.EdgeConfig}. A new key goes into {@code RuntimeConfig.KEYS}, the
 * table in runtime.md, src/dist/pnn-edge.conf and an {@code EdgeConfig} record ({@code ConfigDocsTest} checks the
 * first three agree).
 *
 * <p>Imports: the JDK, {@code org.pnnedge.bridge.Flags} and {@code org.pnnedge.bridge.EnergyProfile} (to check a
 * profile name); no other runtime package (the parts that use a setting
 * are wired in {@code runtime.edge}).
 */
package org.pnnedge.runtime.config;
