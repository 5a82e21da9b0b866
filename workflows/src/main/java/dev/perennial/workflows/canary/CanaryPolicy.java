package dev.perennial.workflows.canary;

import dev.perennial.workflows.Durations;
import dev.perennial.workflows.RequestProblems;
import java.time.Duration;
import java.util.List;

/**
 * How a canary earns its traffic. Every field is optional; {@link #withDefaults()} fills in the
 * rest. Each step shifts traffic, bakes, then compares canary against champion over the bake:
 *
 * <ul>
 *   <li>error rate: the canary's may exceed the champion's by at most {@code maxErrorRateDelta};
 *   <li>latency: the canary's p99 may be at most {@code maxP99LatencyRatio} times the champion's,
 *       unless it is within {@code latencySlackMs} of it (sub-millisecond jitter is not a breach);
 *   <li>online quality, once both versions have {@code minLabelledRows} feedback labels: log loss
 *       may rise by at most {@code maxLogLossIncrease}, AUC may drop by at most {@code maxAucDrop}.
 * </ul>
 *
 * <p>A shadow ({@link RolloutMode#SHADOW}) is judged by the same checks, and by two of its own over
 * the rows both versions scored, each only when its threshold is set: the share of rows on which
 * the two answer the same class may not fall below {@code minAgreement}, and the population
 * stability index of the shadow's scores against the champion's may not exceed {@code maxScorePsi}.
 * Both are always reported.
 *
 * <p>Error rate and quality are measured on samples, so a difference beyond its allowance is a
 * breach only when it is also larger than {@code standardErrors} of its standard errors: a sound
 * canary is not rolled back for a few unlucky labels, and a bad one still is.
 *
 * @param steps canary share per step in %, rising, e.g. [10, 25, 50, 100] (default); for a shadow
 *     the share of requests it scores beside the champion (default [100]: every request)
 * @param bakeTime how long each step serves before it is judged: 90s, 15m, 2h, PT15M (default 10m)
 * @param minRequests requests each version must serve in a step to judge it (default 200)
 * @param maxErrorRateDelta allowed excess error rate, absolute, 0.01 = one point (default 0.01)
 * @param maxP99LatencyRatio allowed canary/champion p99 latency ratio (default 1.5)
 * @param latencySlackMs p99 differences up to this are never a breach (default 5)
 * @param maxLogLossIncrease allowed rise of online log loss (default 0.05)
 * @param maxAucDrop allowed drop of online AUC (default 0.03)
 * @param minLabelledRows feedback labels each version needs before quality is judged (default 100)
 * @param requireQuality when true a step without enough labels counts as too little traffic; when
 *     false it is judged on errors and latency alone (default false)
 * @param onLowTraffic what too little traffic does (default EXTEND)
 * @param maxExtensions extra bake periods per step under EXTEND (default 3)
 * @param requireApproval wait for an {@code approve} signal before the final promotion (default
 *     false)
 * @param approvalTimeout how long to wait for it before giving up: the champion stays (default 24h)
 * @param standardErrors how many standard errors a difference in error rate, log loss or AUC must
 *     also exceed to be a breach (default 2; 0 compares the measured figures alone)
 * @param minAgreement a shadow only: the least share of paired rows on which shadow and champion
 *     answer the same class, 0 to 1, beyond its noise (default: reported, not judged)
 * @param maxScorePsi a shadow only: the largest population stability index of the shadow's scores
 *     against the champion's on the same rows (default: reported, not judged; 0.25 is a common
 *     limit)
 */
public record CanaryPolicy(
    List<Integer> steps,
    String bakeTime,
    Integer minRequests,
    Double maxErrorRateDelta,
    Double maxP99LatencyRatio,
    Double latencySlackMs,
    Double maxLogLossIncrease,
    Double maxAucDrop,
    Integer minLabelledRows,
    Boolean requireQuality,
    LowTraffic onLowTraffic,
    Integer maxExtensions,
    Boolean requireApproval,
    String approvalTimeout,
    Double standardErrors,
    Double minAgreement,
    Double maxScorePsi) {

  public static final List<Integer> DEFAULT_STEPS = List.of(10, 25, 50, 100);

  /** A shadow's default: one step, scoring every request. */
  public static final List<Integer> DEFAULT_SHADOW_STEPS = List.of(100);

  private static final Duration MIN_BAKE = Duration.ofSeconds(1);
  private static final Duration MAX_WAIT = Duration.ofDays(30);

  public static CanaryPolicy defaults() {
    return builder().build().withDefaults();
  }

  /** The defaults for a rollout in {@code mode}. */
  public static CanaryPolicy defaultsFor(RolloutMode mode) {
    return builder().build().withDefaultsFor(mode);
  }

  /**
   * A policy to fill in field by field, every field unset (a default):
   *
   * <pre>{@code
   * CanaryPolicy.builder().bakeTime("15m").requireApproval(true).build()
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this policy's fields, to change a few. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.steps = steps;
    b.bakeTime = bakeTime;
    b.minRequests = minRequests;
    b.maxErrorRateDelta = maxErrorRateDelta;
    b.maxP99LatencyRatio = maxP99LatencyRatio;
    b.latencySlackMs = latencySlackMs;
    b.maxLogLossIncrease = maxLogLossIncrease;
    b.maxAucDrop = maxAucDrop;
    b.minLabelledRows = minLabelledRows;
    b.requireQuality = requireQuality;
    b.onLowTraffic = onLowTraffic;
    b.maxExtensions = maxExtensions;
    b.requireApproval = requireApproval;
    b.approvalTimeout = approvalTimeout;
    b.standardErrors = standardErrors;
    b.minAgreement = minAgreement;
    b.maxScorePsi = maxScorePsi;
    return b;
  }

  public CanaryPolicy withDefaults() {
    return withDefaultsFor(RolloutMode.CANARY);
  }

  /** The policy with the defaults of a rollout in {@code mode} filled in. */
  public CanaryPolicy withDefaultsFor(RolloutMode mode) {
    List<Integer> defaultSteps = mode == RolloutMode.SHADOW ? DEFAULT_SHADOW_STEPS : DEFAULT_STEPS;
    return new CanaryPolicy(
        steps == null || steps.isEmpty() ? defaultSteps : List.copyOf(steps),
        bakeTime == null ? "10m" : bakeTime,
        minRequests == null ? 200 : minRequests,
        maxErrorRateDelta == null ? 0.01 : maxErrorRateDelta,
        maxP99LatencyRatio == null ? 1.5 : maxP99LatencyRatio,
        latencySlackMs == null ? 5.0 : latencySlackMs,
        maxLogLossIncrease == null ? 0.05 : maxLogLossIncrease,
        maxAucDrop == null ? 0.03 : maxAucDrop,
        minLabelledRows == null ? 100 : minLabelledRows,
        requireQuality != null && requireQuality,
        onLowTraffic == null ? LowTraffic.EXTEND : onLowTraffic,
        maxExtensions == null ? 3 : maxExtensions,
        requireApproval != null && requireApproval,
        approvalTimeout == null ? "24h" : approvalTimeout,
        standardErrors == null ? 2.0 : standardErrors,
        minAgreement,
        maxScorePsi);
  }

  /**
   * The same policy judging with {@code z} standard errors of noise (0: measured figures alone).
   */
  public CanaryPolicy withStandardErrors(double z) {
    return toBuilder().standardErrors(z).build();
  }

  /** The bake time as a duration; call on a validated policy. */
  public Duration bake() {
    return Durations.parse(bakeTime);
  }

  /** The approval timeout as a duration; call on a validated policy. */
  public Duration approvalWait() {
    return Durations.parse(approvalTimeout);
  }

  /** Every problem, each naming its field under {@code path}; empty when valid. */
  public List<String> problems(String path) {
    RequestProblems p = new RequestProblems();
    if (steps != null) {
      boolean rising = true;
      for (int i = 0; i < steps.size(); i++) {
        Integer s = steps.get(i);
        boolean inRange = s != null && s >= 1 && s <= 100;
        p.require(inRange, path + ".steps[" + i + "]", "must be a share from 1 to 100 %");
        if (inRange && i > 0 && steps.get(i - 1) != null && s <= steps.get(i - 1)) {
          rising = false;
        }
      }
      p.require(rising, path + ".steps", "must rise step by step, e.g. [10, 25, 50, 100]");
      p.require(steps.size() <= 20, path + ".steps", "at most 20 steps");
    }
    p.duration(path + ".bakeTime", bakeTime, MIN_BAKE, MAX_WAIT);
    p.range(path + ".minRequests", minRequests, 1, 1e9);
    p.range(path + ".maxErrorRateDelta", maxErrorRateDelta, 0, 1);
    p.range(path + ".maxP99LatencyRatio", maxP99LatencyRatio, 1, 1000);
    p.range(path + ".latencySlackMs", latencySlackMs, 0, 1e6);
    p.range(path + ".maxLogLossIncrease", maxLogLossIncrease, 0, 100);
    p.range(path + ".maxAucDrop", maxAucDrop, 0, 1);
    p.range(path + ".minLabelledRows", minLabelledRows, 1, 1e9);
    p.range(path + ".maxExtensions", maxExtensions, 0, 1000);
    p.duration(path + ".approvalTimeout", approvalTimeout, MIN_BAKE, MAX_WAIT);
    p.range(path + ".standardErrors", standardErrors, 0, 10);
    p.range(path + ".minAgreement", minAgreement, 0, 1);
    p.range(path + ".maxScorePsi", maxScorePsi, 0, 100);
    return p.list();
  }

  /** Builds a {@link CanaryPolicy}; what is not set stays null and takes its default. */
  public static final class Builder {
    private List<Integer> steps;
    private String bakeTime;
    private Integer minRequests;
    private Double maxErrorRateDelta;
    private Double maxP99LatencyRatio;
    private Double latencySlackMs;
    private Double maxLogLossIncrease;
    private Double maxAucDrop;
    private Integer minLabelledRows;
    private Boolean requireQuality;
    private LowTraffic onLowTraffic;
    private Integer maxExtensions;
    private Boolean requireApproval;
    private String approvalTimeout;
    private Double standardErrors;
    private Double minAgreement;
    private Double maxScorePsi;

    private Builder() {}

    public Builder steps(List<Integer> steps) {
      this.steps = steps;
      return this;
    }

    public Builder bakeTime(String bakeTime) {
      this.bakeTime = bakeTime;
      return this;
    }

    public Builder minRequests(Integer minRequests) {
      this.minRequests = minRequests;
      return this;
    }

    public Builder maxErrorRateDelta(Double maxErrorRateDelta) {
      this.maxErrorRateDelta = maxErrorRateDelta;
      return this;
    }

    public Builder maxP99LatencyRatio(Double maxP99LatencyRatio) {
      this.maxP99LatencyRatio = maxP99LatencyRatio;
      return this;
    }

    public Builder latencySlackMs(Double latencySlackMs) {
      this.latencySlackMs = latencySlackMs;
      return this;
    }

    public Builder maxLogLossIncrease(Double maxLogLossIncrease) {
      this.maxLogLossIncrease = maxLogLossIncrease;
      return this;
    }

    public Builder maxAucDrop(Double maxAucDrop) {
      this.maxAucDrop = maxAucDrop;
      return this;
    }

    public Builder minLabelledRows(Integer minLabelledRows) {
      this.minLabelledRows = minLabelledRows;
      return this;
    }

    public Builder requireQuality(Boolean requireQuality) {
      this.requireQuality = requireQuality;
      return this;
    }

    public Builder onLowTraffic(LowTraffic onLowTraffic) {
      this.onLowTraffic = onLowTraffic;
      return this;
    }

    public Builder maxExtensions(Integer maxExtensions) {
      this.maxExtensions = maxExtensions;
      return this;
    }

    public Builder requireApproval(Boolean requireApproval) {
      this.requireApproval = requireApproval;
      return this;
    }

    public Builder approvalTimeout(String approvalTimeout) {
      this.approvalTimeout = approvalTimeout;
      return this;
    }

    public Builder standardErrors(Double standardErrors) {
      this.standardErrors = standardErrors;
      return this;
    }

    public Builder minAgreement(Double minAgreement) {
      this.minAgreement = minAgreement;
      return this;
    }

    public Builder maxScorePsi(Double maxScorePsi) {
      this.maxScorePsi = maxScorePsi;
      return this;
    }

    public CanaryPolicy build() {
      return new CanaryPolicy(
          steps,
          bakeTime,
          minRequests,
          maxErrorRateDelta,
          maxP99LatencyRatio,
          latencySlackMs,
          maxLogLossIncrease,
          maxAucDrop,
          minLabelledRows,
          requireQuality,
          onLowTraffic,
          maxExtensions,
          requireApproval,
          approvalTimeout,
          standardErrors,
          minAgreement,
          maxScorePsi);
    }
  }
}
