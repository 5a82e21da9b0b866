package dev.perennial.core.report;

/** How a banner or table row reads at a glance: the colour a person sees before the words. */
public enum Tone {
  /** Nothing to do: green. */
  GOOD,
  /** Worth a look, no action forced: amber. */
  WARN,
  /** Something crossed a line: red. */
  BAD,
  /** Information only: grey. */
  NEUTRAL;

  String cssClass() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
