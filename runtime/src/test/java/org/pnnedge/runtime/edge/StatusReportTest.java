package org.pnnedge.runtime.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class StatusReportTest {
    @Test
    void everyNonFiniteNumberBecomesNullNestedOnesToo() throws Exception {
        ObjectNode o = ControlServer.MAPPER.createObjectNode();
        o.put("a", Double.NaN).put("b", 1.5).put("n", 3);
        o.putObject("drift").put("rms", Double.POSITIVE_INFINITY).putArray("xs").add(Double.NaN).add(2.0);
        assertEquals("{\"a\":null,\"b\":1.5,\"n\":3,\"drift\":{\"rms\":null,\"xs\":[null,2.0]}}",
                ControlServer.MAPPER.writeValueAsString(StatusReport.nullsForNonFinite(o)));
    }
}
