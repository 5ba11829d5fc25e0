package org.pnnedge.fleet.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.pnnedge.fleet.rollout.Rollout;
import org.pnnedge.fleet.rollout.Rollouts;
import org.pnnedge.fleet.rollout.SoakProbes;

/** Prints {@code pnn fleet rollout status}: a table, or JSON. */
final class RolloutStatusView {
    private RolloutStatusView() {
    }

    static void print(Rollouts.Status s, boolean json, PrintWriter out) throws Exception {
        Rollout r = s.rollout();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rollout", fields(r));
            m.put("stages", s.stages().stream().map(RolloutStatusView::fields).toList());
            m.put("probes", s.probes().stream().map(RolloutStatusView::fields).toList());
            out.println(new ObjectMapper().writeValueAsString(m));
            return;
        }
        out.printf("rollout %d  %s  fleet %s  %s %s (key %s)  stages %s  threshold %.2f %%  stage %d%n", r.id(), r.state(),
                r.fleet(), r.modelId(), r.version(), r.keyId(), r.stages(), r.threshold() * 100, r.currentStage());
        if (r.haltReason() != null) {
            out.println("reason   " + r.haltReason());
        }
        if (r.foreignVerdicts() > 0) {
            out.println("ignored  " + r.foreignVerdicts() + " verdict(s) naming another device than their topic");
        }
        out.println("stage  spec   state     size  pending  sent  switched  rejected  rolled-back  timeout  bricked  seconds");
        List<Rollout.StageCounts> st = s.stages();
        for (Rollout.StageCounts c : st) {
            String secs = c.startedAt() == null || c.finishedAt() == null ? "-"
                    : String.format("%.1f", (c.finishedAt().toEpochMilli() - c.startedAt().toEpochMilli()) / 1000.0);
            out.printf("%5d  %-5s  %-8s %5d  %7d  %4d  %8d  %8d  %11d  %7d  %7d  %7s%n", c.stage(), c.spec(), c.state(),
                    c.size(), c.pending(), c.sent(), c.switched(), c.rejected(), c.rolledBack(), c.timeout(), c.bricked(),
                    secs);
        }
        if (!s.probes().isEmpty()) {
            out.println("stage  probed  failed  silent  accuracy min / mean  worst");
            for (SoakProbes.StageSummary p : s.probes()) {
                out.printf("%5d  %6d  %6d  %6d  %8.3f / %.3f       %s%n", p.stage(), p.devices(), p.failed(), p.silent(),
                        p.minAccuracy(), p.meanAccuracy(), p.worst() == null ? "-" : p.worst());
            }
        }
    }

    /** A record's components by name, times as ISO-8601 text (no Jackson time module on this class path). */
    private static Map<String, Object> fields(Record rec) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (var c : rec.getClass().getRecordComponents()) {
            try {
                Object v = c.getAccessor().invoke(rec);
                m.put(c.getName(), v instanceof java.time.temporal.TemporalAccessor || v instanceof java.time.Duration
                        ? v.toString() : v);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }
}
