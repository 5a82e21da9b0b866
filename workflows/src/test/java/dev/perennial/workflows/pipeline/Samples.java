package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.ValidationReport;
import dev.perennial.workflows.gate.GateDecision;
import dev.perennial.workflows.gate.GatePolicy;
import dev.perennial.workflows.gate.ValidationGate;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.registry.VersionStatus;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.ModelMetrics;
import dev.perennial.workflows.training.TrainedModel;
import java.util.List;

/** Records the pipeline tests feed to and expect from mocked activities. */
final class Samples {
  static final String MODEL = "credit-default";

  private Samples() {}

  static ObjectRef ref(String key) {
    return new ObjectRef("perennial-artifacts", key, "ab".repeat(32), 100);
  }

  static DatasetSnapshot snapshot() {
    return new DatasetSnapshot(
        "d1".repeat(32),
        ref("datasets/m.json"),
        ref("credit-default/_schema.json"),
        "2026-01-01",
        "2026-01-14",
        14,
        14,
        1_000_000);
  }

  static ValidationReport passingValidation() {
    return new ValidationReport(true, 28_000, List.of(), List.of(), ref("runs/validation.json"));
  }

  static TrainedModel trained() {
    return new TrainedModel(
        ref("runs/model.bin"),
        ref("runs/hyperparameters.properties"),
        ref("runs/feature-schema.json"),
        ref("runs/reference-profile.json"),
        24_000,
        metrics(0.80),
        "test");
  }

  static ModelMetrics metrics(double auc) {
    return new ModelMetrics(auc, 0.35, 0.86, 0.6, 0.4, 0.48, 4000);
  }

  static Evaluation evaluation(double candidateAuc, Double championAuc) {
    return new Evaluation(
        metrics(candidateAuc),
        championAuc == null ? null : metrics(championAuc),
        ref("runs/evaluation.json"),
        null);
  }

  /** An evaluation from a worker that also wrote the HTML page. */
  static Evaluation evaluationWithPage(double candidateAuc, Double championAuc) {
    Evaluation e = evaluation(candidateAuc, championAuc);
    return new Evaluation(
        e.candidate(), e.champion(), e.report(), ref("runs/evaluation-report.html"));
  }

  static ModelVersion version(int n, double auc, boolean passed) {
    Evaluation e = evaluation(auc, null);
    GateDecision d = ValidationGate.of(GatePolicy.defaults()).decide(e.candidate(), null, null);
    return new ModelVersion(
        MODEL,
        n,
        passed ? VersionStatus.APPROVED : VersionStatus.REJECTED,
        snapshot(),
        trained(),
        Hyperparameters.defaults(),
        e,
        d,
        Trigger.MANUAL,
        "wf",
        "run",
        "2026-01-15T00:00:00Z",
        null,
        null);
  }

  /** What a registry returns for a request: the version it allocated. */
  static ModelVersion registered(RegistrationRequest r, int n) {
    return new ModelVersion(
        r.model(),
        n,
        r.gate().passed() ? VersionStatus.APPROVED : VersionStatus.REJECTED,
        r.dataset(),
        r.artifacts(),
        r.hyperparameters(),
        r.evaluation(),
        r.gate(),
        r.trigger(),
        r.workflowId(),
        r.runId(),
        "2026-01-15T00:00:00Z",
        null,
        r.driftReport(),
        r.search(),
        r.cacheKey());
  }
}
