package dev.perennial.starter.ops;

import dev.perennial.workflows.Instruction;
import dev.perennial.workflows.drift.DriftCheck;
import dev.perennial.workflows.drift.DriftMonitorRequest;
import dev.perennial.workflows.drift.DriftMonitorResult;
import dev.perennial.workflows.drift.DriftMonitorState;
import dev.perennial.workflows.drift.DriftMonitorStatus;
import dev.perennial.workflows.drift.DriftMonitorWorkflow;
import dev.perennial.workflows.drift.DriftPhase;
import dev.perennial.workflows.drift.DriftPolicy;
import dev.perennial.workflows.drift.DriftVerdict;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * A DriftMonitor whose status query answers two fixed checks, so what the monitor operations return
 * and the commands print can be compared exactly; models named fresh-* have measured nothing.
 */
public class CannedDriftMonitor implements DriftMonitorWorkflow {
  public static final String MODEL = "credit-default";
  public static final String ID = "drift-monitor-credit-default";
  public static final String NEXT_CHECK = "2026-03-10T13:00:00Z";

  public static final DriftCheck QUIET =
      new DriftCheck(
          "2026-03-10T11:00:00Z",
          3,
          4210,
          DriftVerdict.NO_DRIFT,
          List.of("1 of 20 features drifted (5% < 30%)"),
          List.of("tenure"),
          0.2134,
          null,
          "s3://perennial-artifacts/drift/credit-default/2026-03-10T11:00:00Z/report.html",
          "s3://perennial-artifacts/drift/credit-default/2026-03-10T11:00:00Z/report.json");
  public static final DriftCheck BREACH =
      new DriftCheck(
          "2026-03-10T12:00:00Z",
          3,
          4388,
          DriftVerdict.DRIFT,
          List.of("7 of 20 features drifted (35% >= 30%)", "critical feature income drifted"),
          List.of("income", "age", "debt-ratio"),
          0.4127,
          "started retraining continuous-training-credit-default",
          "s3://perennial-artifacts/drift/credit-default/2026-03-10T12:00:00Z/report.html",
          "s3://perennial-artifacts/drift/credit-default/2026-03-10T12:00:00Z/report.json");
  public static final DriftMonitorState TWO_CHECKS =
      new DriftMonitorState(
          41,
          List.of(QUIET, BREACH),
          1,
          "2026-03-10T12:00:05Z",
          "continuous-training-credit-default/8c1f");

  private DriftMonitorRequest request;
  private String stopReason;
  private String checkNowReason;

  @Override
  public DriftMonitorResult run(DriftMonitorRequest request) {
    this.request = request;
    Workflow.await(() -> stopReason != null);
    return new DriftMonitorResult(request.model(), state(), stopReason);
  }

  @Override
  public DriftMonitorStatus status() {
    DriftPolicy policy =
        request.policy() == null ? DriftPolicy.defaults() : request.policy().withDefaults();
    return new DriftMonitorStatus(
        request.model(),
        policy,
        DriftPhase.WAITING,
        NEXT_CHECK,
        state(),
        checkNowReason == null ? "next check at " + NEXT_CHECK : "measuring: " + checkNowReason);
  }

  @Override
  public void stop(String reason) {
    stopReason = reason;
  }

  @Override
  public void checkNow(String reason) {
    checkNowReason = reason;
  }

  @Override
  public Instruction check(Instruction instruction) {
    checkNowReason = instruction.signed();
    return instruction;
  }

  /** Refuses a second check as the real monitor does while one is asked for. */
  @Override
  public void validateCheck(Instruction instruction) {
    if (checkNowReason != null) {
      throw new IllegalStateException("a check is already asked for: " + checkNowReason);
    }
  }

  private DriftMonitorState state() {
    return request.model().startsWith("fresh-") ? DriftMonitorState.initial() : TWO_CHECKS;
  }
}
