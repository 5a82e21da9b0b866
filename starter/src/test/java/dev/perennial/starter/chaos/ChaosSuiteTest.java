package dev.perennial.starter.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.starter.chaos.CrashCampaign.Action;
import dev.perennial.starter.chaos.CrashCampaign.Kind;
import dev.perennial.starter.chaos.CrashCampaign.Strike;
import dev.perennial.starter.chaos.RunWatcher.Stage;
import dev.perennial.starter.cli.RealServers;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full crash campaign ({@code ./mvnw -Pchaos ...}; not in the default build): worker {@code
 * kill -9}s at seeded stages of every kind of cycle, the dev server killed and restarted on its
 * database, MinIO stopped under traffic while a training runs, and two worker JVMs racing on
 * concurrent runs of two models. Each scenario runs on a stack of its own and ends with every
 * invariant checked; each appends its figures to {@code target/chaos-figures.txt}.
 *
 * <p>Set {@code -Dperennial.chaos.seed=N} to draw other stages; a failure prints its seed.
 */
@Tag("chaos")
@Timeout(3600) // A safety net against a hang, not a speed check.
class ChaosSuiteTest {
  private static final String MODEL = CrashCampaignTest.MODEL;
  private static final Path FIGURES = Path.of("target/chaos-figures.txt");
  private static final long SEED = Long.getLong("perennial.chaos.seed", 20261203L);

  @TempDir Path dir;
  private final StringWriter log = new StringWriter();
  private final PrintWriter out = new PrintWriter(log, true);

  /** A scenario on a fresh stack; the campaign's output and the servers' logs on failure. */
  private interface Scenario {
    void run(CrashCampaign campaign) throws Exception;
  }

  private void scenario(String name, long seed, Duration s3Outage, Scenario body) throws Exception {
    RealServers.assumeInstalled();
    long started = System.nanoTime();
    ChaosStack stack = ChaosStack.start(dir, out);
    try (stack) {
      CrashCampaign campaign = new CrashCampaign(stack, seed, s3Outage, out);
      body.run(campaign);
      campaign.checkInvariants();
      campaign.report(name, Duration.ofNanos(System.nanoTime() - started), FIGURES);
      System.out.print(log);
    } catch (AssertionError | Exception e) {
      throw new AssertionError(
          name
              + ", seed "
              + seed
              + ": "
              + e.getMessage()
              + "\n--- campaign ---\n"
              + log
              + stack.logs(),
          e);
    }
  }

  /** 20 kills: 2 in the first run, 3 in each of six canary cycles, promoted and withdrawn. */
  @Test
  void twentyWorkerKillsAtSeededStages() throws Exception {
    scenario(
        "worker kills",
        SEED,
        Duration.ofSeconds(30),
        campaign -> {
          campaign.prepare(MODEL);
          campaign.startWorker("worker");
          campaign.cycle(
              MODEL,
              Kind.BOOTSTRAP,
              campaign.plan(Kind.BOOTSTRAP, 2, Action.KILL_WORKER, null),
              "worker");
          campaign.startTraffic(MODEL);
          for (Kind kind :
              List.of(
                  Kind.PROMOTED,
                  Kind.WITHDRAWN,
                  Kind.PROMOTED,
                  Kind.WITHDRAWN,
                  Kind.PROMOTED,
                  Kind.PROMOTED)) {
            campaign.cycle(MODEL, kind, campaign.plan(kind, 3, Action.KILL_WORKER, null), "worker");
          }
        });
  }

  /** The dev server killed twice in one cycle: while training, and while a canary step bakes. */
  @Test
  void twoDevServerKillsInOneCycle() throws Exception {
    scenario(
        "dev-server kills",
        SEED + 1,
        Duration.ofSeconds(30),
        campaign -> {
          campaign.prepare(MODEL);
          campaign.startWorker("worker");
          campaign.cycle(MODEL, Kind.BOOTSTRAP, List.of(), "worker");
          campaign.startTraffic(MODEL);
          campaign.cycle(
              MODEL,
              Kind.PROMOTED,
              List.of(
                  new Strike(Stage.TRAINING, Action.KILL_DEV_SERVER),
                  new Strike(Stage.CANARY_BAKE, Action.KILL_DEV_SERVER)),
              "worker");
        });
  }

  /** MinIO stopped for 30 s while a training runs, under traffic, in two cycles. */
  @Test
  void twoS3OutagesWhileTraining() throws Exception {
    scenario(
        "S3 outages",
        SEED + 2,
        Duration.ofSeconds(30),
        campaign -> {
          campaign.prepare(MODEL);
          campaign.startWorker("worker");
          campaign.cycle(MODEL, Kind.BOOTSTRAP, List.of(), "worker");
          campaign.startTraffic(MODEL);
          for (Kind kind : List.of(Kind.PROMOTED, Kind.WITHDRAWN)) {
            campaign.cycle(
                MODEL, kind, List.of(new Strike(Stage.TRAINING, Action.S3_OUTAGE)), "worker");
          }
        });
  }

  /** Two worker JVMs on one task queue, two models' cycles at once: neither run sees the other. */
  @Test
  void twoWorkersRacingOnTwoModels() throws Exception {
    String other = "credit-default-b";
    scenario(
        "racing workers",
        SEED + 3,
        Duration.ofSeconds(30),
        campaign -> {
          campaign.prepare(MODEL);
          campaign.prepare(other);
          campaign.startWorker("a");
          campaign.startWorker("b");
          both(campaign, MODEL, other, Kind.BOOTSTRAP);
          campaign.startTraffic(MODEL);
          campaign.startTraffic(other);
          both(campaign, MODEL, other, Kind.PROMOTED);
          both(campaign, MODEL, other, Kind.WITHDRAWN);
        });
  }

  /**
   * One cycle of {@code kind} on each model, at the same time (a thread each), and checks that they
   * did overlap.
   */
  private static void both(CrashCampaign campaign, String first, String second, Kind kind)
      throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<ContinuousTrainingResult>> runs = new ArrayList<>();
      for (String model : List.of(first, second)) {
        runs.add(threads.submit(() -> campaign.cycle(model, kind, List.of(), null)));
      }
      for (Future<ContinuousTrainingResult> run : runs) {
        try {
          run.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof AssertionError a) {
            throw a;
          }
          throw e;
        }
      }
    } finally {
      threads.shutdownNow();
    }
    List<CrashCampaign.CycleFigures> last =
        campaign.cycles().subList(campaign.cycles().size() - 2, campaign.cycles().size());
    assertThat(last.get(0).started())
        .as("the two runs overlap: %s", last)
        .isBefore(last.get(1).ended());
    assertThat(last.get(1).started())
        .as("the two runs overlap: %s", last)
        .isBefore(last.get(0).ended());
  }
}
