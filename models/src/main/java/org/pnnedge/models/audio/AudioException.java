package org.pnnedge.models.audio;

/**
 * A problem with an audio input that the front end cannot turn into features: a file that is not a WAV, a
 * truncated or malformed header, an unsupported encoding, or a signal without a usable vowel (empty, silent,
 * noise only, too short). The message names the source (file) and the problem in plain words, so a command line
 * tool can print {@link #getMessage()} instead of a stack trace; {@link #reason()} is the machine-readable kind.
 */
public final class AudioException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** The file could not be read at all (I/O error, missing file). */
        IO,
        /** Not a RIFF/WAVE file. */
        NOT_WAV,
        /** Header or chunk structure is cut short or inconsistent. */
        MALFORMED,
        /** A valid WAV with an encoding this reader does not decode (e.g. A-law, ADPCM, 12-bit). */
        UNSUPPORTED_FORMAT,
        /** No samples. */
        EMPTY,
        /** Shorter than the shortest vowel the front end accepts. */
        TOO_SHORT,
        /** All samples (near) zero. */
        SILENCE,
        /** Sound present but no voiced (periodic) segment: noise only. */
        NO_VOICED_SEGMENT,
        /**
         * A sample rate too low for formant analysis (below {@link FormantFeatures#MIN_SAMPLE_RATE} Hz): the
         * recording cannot hold F3, or the WAV header is damaged.
         */
        UNSUPPORTED_RATE
    }

    private final Reason reason;

    public AudioException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public AudioException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
