package org.pnnedge.fleet.rollout;

/**
 * A token bucket for bundle sends ({@link ResendPolicy#sendsPerSecond}): it refills at the rate and holds one
 * second's worth. Time is passed in (nanoseconds of any monotonic clock) so tests drive it; no library's limiter takes
 * an explicit clock without a dependency the module does not have.
 */
final class SendRate {
    private static final long UNIT = 1_000_000_000L; // credit per send: a nanosecond earns perSecond credit
    private final long perSecond;
    private final long capacity;
    private long credit;
    private long at;

    SendRate(int perSecond, long nowNanos) {
        this.perSecond = perSecond;
        this.capacity = perSecond * UNIT;
        this.credit = capacity;
        this.at = nowNanos;
    }

    /** Whole sends allowed now. */
    int available(long nowNanos) {
        if (nowNanos > at) {
            long earned = (nowNanos - at) >= UNIT ? capacity : (nowNanos - at) * perSecond;
            credit = Math.min(capacity, credit + earned);
            at = nowNanos;
        }
        return (int) (credit / UNIT);
    }

    /** Uses {@code n} sends (at most what {@link #available} said). */
    void take(int n) {
        credit -= n * UNIT;
    }

    /** Nanoseconds until at least one send is allowed (0 when one is). */
    long nanosUntilOne(long nowNanos) {
        return available(nowNanos) >= 1 ? 0 : (UNIT - credit + perSecond - 1) / perSecond;
    }
}
