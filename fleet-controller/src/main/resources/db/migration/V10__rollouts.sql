-- Staged rollouts (fleet.md, "Rollouts"): one row per rollout, one per stage, one per device with its verdict.
-- A controller runs a rollout while it holds the PostgreSQL advisory lock (ROLLOUT_LOCK_CLASS, id): a second one
-- gets a named error. The signed bundle is kept in the row, so a restarted controller needs no file to resume.
CREATE TABLE rollout (
    id                 bigserial   PRIMARY KEY,
    fleet              text        NOT NULL,
    update_id          text        NOT NULL UNIQUE,
    bundle             bytea       NOT NULL,
    bundle_sha256      text        NOT NULL,
    model_id           text        NOT NULL,
    version            text        NOT NULL,
    key_id             text        NOT NULL,
    previous_bundle    bytea,
    previous_version   text,
    stages             text        NOT NULL,
    threshold          double precision NOT NULL CHECK (threshold >= 0 AND threshold <= 1),
    soak_ms            bigint      NOT NULL CHECK (soak_ms >= 0),
    verdict_timeout_ms bigint      NOT NULL CHECK (verdict_timeout_ms > 0),
    resend_ms          bigint      NOT NULL CHECK (resend_ms > 0),
    seed               bigint      NOT NULL,
    canaries           text[]      NOT NULL DEFAULT '{}',
    auto_rollback      boolean     NOT NULL DEFAULT false,
    state              text        NOT NULL CHECK (state IN ('RUNNING','PAUSED','HALTED','ABORTED','COMPLETED')),
    requested          text        CHECK (requested IN ('pause','abort')),
    current_stage      int         NOT NULL DEFAULT 1,
    halt_reason        text,
    foreign_verdicts   bigint      NOT NULL DEFAULT 0,
    controller         text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    finished_at        timestamptz
);

CREATE TABLE rollout_stage (
    rollout_id   bigint      NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
    stage_no     int         NOT NULL CHECK (stage_no >= 1),
    spec         text        NOT NULL,
    size         int         NOT NULL CHECK (size >= 0),
    state        text        NOT NULL DEFAULT 'PENDING'
                 CHECK (state IN ('PENDING','SENDING','WAITING','SOAKING','PASSED','HALTED','ABORTED')),
    started_at   timestamptz,
    verdicts_at  timestamptz,
    finished_at  timestamptz,
    PRIMARY KEY (rollout_id, stage_no)
);

CREATE TABLE rollout_device (
    rollout_id     bigint      NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
    device_id      text        NOT NULL REFERENCES device (device_id),
    stage_no       int         NOT NULL,
    position       int         NOT NULL,
    state          text        NOT NULL DEFAULT 'PENDING'
                   CHECK (state IN ('PENDING','SENT','SWITCHED','REJECTED','ROLLED_BACK','TIMEOUT','BRICKED')),
    reason         text,
    active_version text,
    sends          int         NOT NULL DEFAULT 0,
    first_sent_at  timestamptz,
    last_sent_at   timestamptz,
    verdict_at     timestamptz,
    rollback_state text        CHECK (rollback_state IN ('SENT','ROLLED_BACK','FAILED','TIMEOUT')),
    rollback_reason text,
    PRIMARY KEY (rollout_id, device_id),
    FOREIGN KEY (rollout_id, stage_no) REFERENCES rollout_stage (rollout_id, stage_no)
);
CREATE INDEX rollout_device_stage ON rollout_device (rollout_id, stage_no, state);
