/**
 * The PNG chart renderer of the offline tools ({@code pnn train --curves}, {@code pnn fit-twin --plot},
 * {@code pnn eval --confusion}): headless java.awt drawing of the charts described in
 * {@code org.pnnedge.models.plot}. A tooling-only module: {@code ./pnn} puts it on the class path from
 * runtime/target/tools-lib; the Pi's runtime lib does not carry it.
 *
 * <p><b>May import</b> {@code org.pnnedge.models.plot} only.
 */
package org.pnnedge.charts;
