-- Probe accuracy measured by the controller during a stage's soak (fleet.md, "Probe accuracy in the soak"):
-- the labelled probe set is kept with the rollout (a resumed controller needs no file), NULL = no probes.
ALTER TABLE rollout
    ADD COLUMN soak_probes          jsonb,
    ADD COLUMN soak_probe_count     integer CHECK (soak_probe_count BETWEEN 1 AND 1000),
    ADD COLUMN soak_probe_timeout_ms bigint CHECK (soak_probe_timeout_ms > 0),
    ADD COLUMN soak_probe_window    integer CHECK (soak_probe_window BETWEEN 1 AND 1024);

-- One row per device probed in a stage's soak (a resumed soak probes again and overwrites it).
CREATE TABLE rollout_probe (
    rollout_id  bigint      NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
    device_id   text        NOT NULL,
    stage_no    integer     NOT NULL,
    sent        integer     NOT NULL CHECK (sent >= 0),
    answered    integer     NOT NULL CHECK (answered >= 0 AND answered <= sent),
    correct     integer     NOT NULL CHECK (correct >= 0 AND correct <= answered),
    errors      integer     NOT NULL CHECK (errors >= 0),
    accuracy    double precision NOT NULL CHECK (accuracy >= 0 AND accuracy <= 1),
    passed      boolean     NOT NULL,
    reason      text,
    measured_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (rollout_id, device_id)
);
CREATE INDEX rollout_probe_stage ON rollout_probe (rollout_id, stage_no);
