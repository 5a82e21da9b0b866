package dev.perennial.workflows.canary;

/** How a canary rollout ended. */
public enum CanaryOutcome {
  /** Every step passed (or a person said promote-now): the version is champion. */
  PROMOTED,
  /** A step breached a threshold: traffic is back on the champion, the version is withdrawn. */
  ROLLED_BACK,
  /** Too little traffic to judge within the allowed extensions: champion kept, version approved. */
  INCONCLUSIVE,
  /** No approval came within the policy's timeout: champion kept, version approved. */
  APPROVAL_TIMED_OUT,
  /** A person aborted it: champion kept, version approved. */
  ABORTED
}
