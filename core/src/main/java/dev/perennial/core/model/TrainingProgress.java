package dev.perennial.core.model;

/**
 * Where a long training reports how far it got, and learns that it should stop. The activity
 * adapter backs it with Temporal heartbeats; tests use {@link #NONE}.
 */
public interface TrainingProgress {
  /** Records the current stage and, within it, the fraction done (0..1). */
  void update(String stage, double fraction);

  /** True once the caller wants the work to stop (the activity was cancelled). */
  boolean cancelled();

  TrainingProgress NONE =
      new TrainingProgress() {
        @Override
        public void update(String stage, double fraction) {}

        @Override
        public boolean cancelled() {
          return false;
        }
      };
}
