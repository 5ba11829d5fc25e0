package org.pnnedge.models.bundle;

import java.util.Locale;
import java.util.Objects;

/**
 * A model bundle was rejected. Every rejection has a typed {@link Reason} (so the runtime can report a status
 * code over the air) and a message that says which check failed and why: the field, the expected and the
 * actual value.
 */
public final class BundleException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a bundle was rejected; one constant per distinct check, in roughly the order they are applied. */
    public enum Reason {
        /** The file could not be read at all (missing, permissions, I/O error). */
        IO("cannot read bundle"),
        /** The file (or its decompressed content) exceeds the size limit; checked before parsing. */
        OVERSIZE("bundle too large"),
        /** The file ends before the JSON document (or the gzip stream) does. */
        TRUNCATED("bundle truncated"),
        /** The file starts like gzip but is not a valid gzip stream. */
        MALFORMED_GZIP("corrupt gzip compression"),
        /** Not JSON, or JSON with duplicate keys or trailing garbage. */
        MALFORMED_JSON("not valid JSON"),
        /** JSON, but not a PNN model bundle ({@code "format"} is missing or not {@code "pnn-bundle"}). */
        UNKNOWN_FORMAT("not a PNN model bundle"),
        /** A bundle of a format version this reader does not implement. */
        UNSUPPORTED_FORMAT_VERSION("unsupported bundle format version"),
        /** A field is missing, unknown, of the wrong type or out of range; the message names the field. */
        SCHEMA("schema violation"),
        /** The payload does not hash to {@code payloadSha256}: modified or corrupted after signing. */
        HASH_MISMATCH("payload hash mismatch"),
        /** The bundle carries no signature, and a verified load was requested. */
        MISSING_SIGNATURE("missing signature"),
        /** The signature uses an algorithm other than Ed25519. */
        UNSUPPORTED_SIGNATURE_ALGORITHM("unsupported signature algorithm"),
        /** Signed by a key that is not among the trusted keys. */
        UNTRUSTED_KEY("signed by an untrusted key"),
        /** The signature does not verify with the trusted key it names. */
        BAD_SIGNATURE("bad signature"),
        /** The bundle was trained for a different physics kind than the device in hand. */
        WRONG_PHYSICS("wrong physics kind"),
        /** Same physics, but channel counts, converter bits or protocol version do not match the device. */
        INCOMPATIBLE_DEVICE("incompatible device"),
        /** The bundle's version is not newer than the installed model's. */
        DOWNGRADE("downgrade refused");

        private final String summary;

        Reason(String summary) {
            this.summary = summary;
        }

        /** Short human phrase, the start of every message with this reason. */
        public String summary() {
            return summary;
        }

        /** Stable lower-case code for status messages and JSON ({@code hash-mismatch}). */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public BundleException(Reason reason, String detail) {
        this(reason, detail, null);
    }

    public BundleException(Reason reason, String detail, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason").summary() + ": " + detail, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
