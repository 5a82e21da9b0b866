package dev.perennial.starter.chaos;

import dev.perennial.starter.chaos.CrashCampaign.Action;
import dev.perennial.starter.chaos.CrashCampaign.Kind;
import dev.perennial.starter.chaos.RunWatcher.Stage;
import dev.perennial.starter.cli.RealServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash campaign's short version, in every build: three {@code kill -9}s of the worker at
 * seeded stages of one canary cycle on the real dev server and MinIO, under traffic, then every
 * invariant. The full campaign is {@link ChaosSuiteTest} ({@code -Pchaos}). The stages drawn here
 * are those whose activities heartbeat (or none runs), so a dead worker is noticed in seconds and
 * the build stays short; the full campaign strikes every stage.
 *
 * <p>Set {@code -Dperennial.chaos.seed=N} to draw other stages; a failure prints its seed.
 */
@Timeout(900) // A safety net against a hang, not a speed check.
class CrashCampaignTest {
  static final String MODEL = "credit-default";

  /** Stages a dead worker's activity is retried from within seconds (heartbeat or timer). */
  static final List<Stage> QUICK =
      List.of(
          Stage.SNAPSHOT,
          Stage.VALIDATION,
          Stage.TRAINING,
          Stage.EVALUATION,
          Stage.CANARY_BAKE,
          Stage.CANARY_ANALYSIS);

  @TempDir Path dir;

  @Test
  void threeWorkerKillsInOneCycleLoseNothing() throws Exception {
    RealServers.assumeInstalled();
    long seed = Long.getLong("perennial.chaos.seed", 20261203L);
    StringWriter log = new StringWriter();
    PrintWriter out = new PrintWriter(log, true);
    long started = System.nanoTime();
    ChaosStack stack = ChaosStack.start(dir, out);
    try (stack) {
      CrashCampaign campaign = new CrashCampaign(stack, seed, Duration.ofSeconds(20), out);
      campaign.prepare(MODEL);
      campaign.startWorker("worker");
      campaign.cycle(MODEL, Kind.BOOTSTRAP, List.of(), "worker");
      campaign.startTraffic(MODEL);
      campaign.cycle(
          MODEL,
          Kind.PROMOTED,
          campaign.plan(Kind.PROMOTED, 3, Action.KILL_WORKER, QUICK),
          "worker");
      campaign.checkInvariants();
      campaign.report(
          "ci short",
          Duration.ofNanos(System.nanoTime() - started),
          Path.of("target/chaos-figures.txt"));
      System.out.print(log);
    } catch (AssertionError | Exception e) {
      throw new AssertionError(
          "seed " + seed + ": " + e.getMessage() + "\n--- campaign ---\n" + log + stack.logs(), e);
    }
  }
}
