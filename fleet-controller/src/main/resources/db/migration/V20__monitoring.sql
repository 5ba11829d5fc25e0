-- Fleet monitoring (pnn fleet ingest): what the devices publish, in tables partitioned by day on the message's time.
-- The ingest workers create each day's partitions ahead (<table>_pYYYYMMDD) and drop those past the retention
-- (MonitorSchema). A redelivered QoS 1 message hits the primary key and is skipped (ON CONFLICT DO NOTHING), so a
-- message is stored once however often the broker sends it.

-- pnn/<d>/telemetry: the extracted figures for queries and charts; the whole message in body.
CREATE TABLE telemetry (
    device_id        text             NOT NULL,
    ts               timestamptz      NOT NULL,   -- the device's time (its "ts")
    seq              bigint           NOT NULL,   -- the device's counter since its process started
    received         timestamptz      NOT NULL,   -- when the ingest worker took it
    model            text,
    model_version    text,
    drift            double precision,            -- last recalibration's uncorrected rmsRelative, or drift.score
    accuracy         double precision,            -- drift.accuracy_estimate when the device reports one
    errors_total     bigint,
    inferences       bigint,
    inferences_per_s double precision,
    latency_p95_ms   double precision,
    outbox_dropped   bigint,
    body             jsonb            NOT NULL,
    PRIMARY KEY (device_id, ts, seq)
) PARTITION BY RANGE (ts);
CREATE INDEX telemetry_ts ON telemetry (ts);

-- pnn/<d>/ota/status: every OTA step a device reports.
CREATE TABLE ota_event (
    device_id      text        NOT NULL,
    ts             timestamptz NOT NULL,
    step           text        NOT NULL,
    received       timestamptz NOT NULL,
    update_id      text,
    final          boolean     NOT NULL DEFAULT false,
    reason         text,
    version        text,
    active_version text,
    body           jsonb       NOT NULL,
    PRIMARY KEY (device_id, ts, step)
) PARTITION BY RANGE (ts);

-- pnn/<d>/recal: recalibration reports.
CREATE TABLE recal_report (
    device_id       text             NOT NULL,
    ts              timestamptz      NOT NULL,
    received        timestamptz      NOT NULL,
    trigger         text,
    result          text,
    accuracy_before double precision,
    accuracy_after  double precision,
    body            jsonb            NOT NULL,
    PRIMARY KEY (device_id, ts)
) PARTITION BY RANGE (ts);

-- pnn/<d>/status: online/offline changes (the will carries no time: partitioned by arrival).
CREATE TABLE status_event (
    device_id text        NOT NULL,
    received  timestamptz NOT NULL,
    state     text        NOT NULL,
    reason    text,
    retained  boolean     NOT NULL,   -- a retained status sent on subscribe, not a change seen live
    body      jsonb       NOT NULL
) PARTITION BY RANGE (received);
CREATE INDEX status_event_device ON status_event (device_id, received);

-- the newest telemetry figures per device, kept by the ingest workers (pnn fleet status reads this, not the series)
CREATE TABLE device_latest (
    device_id        text             PRIMARY KEY REFERENCES device (device_id) ON DELETE CASCADE,
    ts               timestamptz      NOT NULL,
    drift            double precision,
    accuracy         double precision,
    errors_total     bigint,
    inferences       bigint,
    latency_p95_ms   double precision
);
