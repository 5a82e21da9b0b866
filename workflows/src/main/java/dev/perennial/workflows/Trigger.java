package dev.perennial.workflows;

/** Why a pipeline run started; recorded in the registry and as a search attribute. */
public enum Trigger {
  /** Started by a person from the command line or the Temporal UI. */
  MANUAL,
  /** Started by a Temporal Schedule. */
  SCHEDULE,
  /** Started by the drift monitor. */
  DRIFT,
  /** Started by the data watch: new daily partitions arrived. */
  DATA
}
