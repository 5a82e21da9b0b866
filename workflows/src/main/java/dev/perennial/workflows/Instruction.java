package dev.perennial.workflows;

import java.util.List;

/**
 * Who tells a running workflow to do something, and why: the input of the rollout's {@code
 * pause-rollout}, {@code resume-rollout}, {@code abort-rollout} and {@code promote-rollout-now}
 * messages and of the drift monitor's {@code check} update, e.g. {@code
 * {"by":"alice","reason":"holiday freeze"}}. Both reach the audit log of the registry changes the
 * instruction causes.
 *
 * @param by who asks (required by updates): a person's name or login
 * @param reason why, optional
 */
public record Instruction(String by, String reason) {
  static final int MAX_BY = 200;
  static final int MAX_REASON = 2000;

  /** What the older bare-string signals carry: a reason, and nobody named. */
  public static Instruction unsigned(String reason) {
    return new Instruction(null, reason);
  }

  /** Every problem of this instruction, each naming its field; empty when it is valid. */
  public List<String> problems() {
    return new RequestProblems()
        .require(by != null && !by.isBlank(), "by", "say who asks, e.g. {\"by\":\"alice\"}")
        .require(by == null || by.length() <= MAX_BY, "by", "at most " + MAX_BY + " characters")
        .require(
            reason == null || reason.length() <= MAX_REASON,
            "reason",
            "at most " + MAX_REASON + " characters")
        .list();
  }

  /** Throws what an update's caller sees when this instruction is malformed. */
  public void validate() {
    RequestProblems.refuse(problems());
  }

  /** Who asked, stripped; null when nobody is named. */
  public String who() {
    return by == null || by.isBlank() ? null : by.strip();
  }

  /** Why, or "asked for" when no reason was given. */
  public String why() {
    return reason == null || reason.isBlank() ? "asked for" : reason;
  }

  /** Who asked, or {@code fallback} when nobody is named: the actor of the audit entries. */
  public String actorOr(String fallback) {
    return who() == null ? fallback : who();
  }

  /** The reason followed by who asked, when named: {@code holiday freeze (by alice)}. */
  public String signed() {
    return who() == null ? why() : why() + " (by " + who() + ")";
  }
}
