package dev.perennial.workflows.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.workflows.Instruction;
import io.temporal.client.WorkflowUpdateException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What people tell a monitor: stop, and check now, by the bare-string signal running monitors may
 * still receive or by the {@code check} update that names who asks and answers whether it was
 * taken.
 */
class DriftMonitorMessagesTest extends DriftMonitorTestSupport {

  @Test
  void aStopBeforeTheFirstCheckEndsTheMonitorAtOnce() throws Exception {
    start();
    DriftMonitorWorkflow monitor = startMonitor(DriftMonitorRequest.of(MODEL));
    settled(() -> monitor.status().nextCheckAt() != null);

    DriftMonitorResult result = stop(monitor, "");

    assertThat(result)
        .isEqualTo(new DriftMonitorResult(MODEL, DriftMonitorState.initial(), "asked for"));
    assertThat(windows).isEmpty();
    assertThat(monitor.status().nextCheckAt()).isNull();
  }

  @Test
  void checkNowMeasuresAtOnceAndTheScheduleFollowsFromThere() throws Exception {
    start();
    long started = env.currentTimeMillis();
    DriftMonitorWorkflow monitor = startMonitor(DriftMonitorRequest.of(MODEL));
    env.sleep(Duration.ofMinutes(10));

    monitor.checkNow("v4 deployed");
    settled(() -> monitor.status().state().checks() == 1);

    assertThat(windows).hasSize(1);
    Instant asked = Instant.parse(windows.get(0).to());
    assertThat(Duration.between(Instant.ofEpochMilli(started), asked))
        .isBetween(Duration.ofMinutes(10), Duration.ofMinutes(11));
    assertThat(Duration.between(Instant.parse(windows.get(0).from()), asked)).isEqualTo(ofHours(1));
    DriftMonitorStatus status = monitor.status();
    assertThat(apart(windows.get(0).to(), status.nextCheckAt(), ofHours(1))).isTrue();

    env.sleep(ofHours(1));
    // The sleep returns once the timer fired; the check it started may still be measuring.
    settled(() -> monitor.status().state().checks() == 2);
    assertThat(windows).hasSize(2);
    assertThat(apart(windows.get(0).to(), windows.get(1).to(), ofHours(1))).isTrue();
    stop(monitor, null);
    record("drift-monitor-check-now-signal.json");
  }

  @Test
  void aCheckUpdateNamesWhoAskedAndOneMoreWhileAnotherWaitsIsRefused() throws Exception {
    CountDownLatch measuring = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    verdicts =
        n -> {
          if (n == 0) {
            measuring.countDown();
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return DriftVerdict.NO_DRIFT;
        };
    start();
    DriftMonitorWorkflow monitor = startMonitor(DriftMonitorRequest.of(MODEL));
    env.sleep(Duration.ofMinutes(10));

    Instruction taken = monitor.check(new Instruction("alice", "v4 deployed"));
    assertThat(taken).isEqualTo(new Instruction("alice", "v4 deployed"));
    assertThat(measuring.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(monitor.status().phase()).isEqualTo(DriftPhase.MEASURING);
    assertThat(monitor.status().message()).endsWith("(check-now: v4 deployed (by alice))");

    monitor.check(new Instruction("bob", "and once more")); // waits for the running check
    assertThatThrownBy(() -> monitor.check(new Instruction("carol", null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("a check is already asked for: and once more (by bob)");
    assertThatThrownBy(() -> monitor.check(new Instruction(" ", null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("by: say who asks");
    release.countDown();
    settled(() -> monitor.status().state().checks() == 2);

    assertThat(windows).hasSize(2);
    assertThat(
            Duration.between(
                Instant.parse(windows.get(0).to()), Instant.parse(windows.get(1).to())))
        .isLessThan(Duration.ofMinutes(1));
    stop(monitor, "test over");
    record("drift-monitor-check.json");
  }
}
