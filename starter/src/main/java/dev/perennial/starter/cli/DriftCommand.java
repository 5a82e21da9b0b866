package dev.perennial.starter.cli;

import dev.perennial.core.Json;
import dev.perennial.core.store.MinioObjectStore;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.starter.stack.Endpoints;
import dev.perennial.workflows.Durations;
import dev.perennial.workflows.drift.DriftCheck;
import dev.perennial.workflows.drift.DriftMonitorState;
import dev.perennial.workflows.drift.DriftPolicy;
import dev.perennial.workflows.drift.DriftReport;
import dev.perennial.workflows.drift.FeatureDrift;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code perennial drift}: the latest drift reports of a model's monitor. */
@Command(
    name = "drift",
    mixinStandardHelpOptions = true,
    description = {
      "Show the latest drift check of a model's monitor: window, champion, rows, verdict and why,"
          + " what the monitor did, and the report.",
      "Works on a stopped monitor too. Start one with: perennial monitor start --model <model>."
    })
final class DriftCommand implements Callable<Integer> {
  /** How long a signed http link to a report stays valid. */
  static final Duration LINK_VALIDITY = Duration.ofHours(1);

  @Mixin CliConnection connection;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, description = "Model name.")
  String model;

  @Option(
      names = "--all",
      description = "List every check the monitor keeps (at, verdict, drifted, max PSI, action).")
  boolean all;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Integer refused = MonitorCommand.refuseBadModel(model, spec.commandLine().getErr());
    if (refused != null) {
      return refused;
    }
    Endpoints endpoints = connection.endpoints();
    MinioObjectStore signer =
        endpoints.s3AccessKey() == null || endpoints.s3AccessKey().isBlank()
            ? null
            : ObjectStores.client(endpoints.s3Settings());
    try {
      return print(
          connection.workflowClient(),
          model,
          all,
          links(signer),
          signer == null ? uri -> null : figures(signer),
          out);
    } finally {
      connection.close();
      if (signer != null) {
        try {
          signer.close();
        } catch (Exception e) {
          // Signing sent nothing; a failure to release an idle client changes nothing printed.
        }
      }
    }
  }

  /**
   * Signed http links for {@code s3://bucket/key} uris, so a browser opens a report in the private
   * artifact bucket; none without S3 credentials (nothing to sign with) or for other links.
   */
  static UnaryOperator<String> links(MinioObjectStore signer) {
    return uri -> {
      S3Location at = S3Location.of(uri);
      return signer == null || at == null
          ? null
          : signer.presignedGet(at.bucket(), at.key(), LINK_VALIDITY);
    };
  }

  /**
   * The report a check's JSON link names, read from S3; null when it cannot be read (the printed
   * summary then points at the report instead of listing its figures).
   */
  static Function<String, DriftReport> figures(ObjectStore store) {
    return uri -> {
      S3Location at = S3Location.of(uri);
      if (at == null) {
        return null;
      }
      try {
        return store
            .read(at.bucket(), at.key())
            .map(v -> Json.read(v.bytes(), DriftReport.class))
            .orElse(null);
      } catch (RuntimeException e) {
        return null;
      }
    };
  }

  /** Bucket and key of an {@code s3://bucket/key} link. */
  private record S3Location(String bucket, String key) {
    /** The link's bucket and key; null for anything else. */
    static S3Location of(String uri) {
      if (uri == null || !uri.startsWith("s3://")) {
        return null;
      }
      String path = uri.substring("s3://".length());
      int slash = path.indexOf('/');
      if (slash <= 0 || slash == path.length() - 1) {
        return null;
      }
      return new S3Location(path.substring(0, slash), path.substring(slash + 1));
    }
  }

  /**
   * {@link #print(WorkflowClient, String, boolean, UnaryOperator, Function, PrintWriter)} without
   * the per-feature figures.
   */
  static int print(
      WorkflowClient client,
      String model,
      boolean all,
      UnaryOperator<String> links,
      PrintWriter out) {
    return print(client, model, all, links, uri -> null, out);
  }

  /**
   * Prints the latest check (or, with {@code all}, every kept check) of the model's monitor; {@code
   * links} turns a report uri into an http link, or null; {@code figures} reads a check's JSON
   * report, or gives null, for the per-feature table. Returns the exit code.
   */
  static int print(
      WorkflowClient client,
      String model,
      boolean all,
      UnaryOperator<String> links,
      Function<String, DriftReport> figures,
      PrintWriter out) {
    Optional<MonitorCommand.Monitor> found = MonitorCommand.find(client, model);
    if (found.isEmpty()) {
      out.println(MonitorCommand.noMonitor(model));
      out.flush();
      return PerennialCommand.FAILED;
    }
    MonitorCommand.Monitor m = found.get();
    DriftMonitorState state = m.drift();
    if (state == null) {
      out.println(MonitorCommand.unansweredLine(m));
      out.flush();
      return PerennialCommand.FAILED;
    }
    List<DriftCheck> recent = state.recent() == null ? List.of() : state.recent();
    if (recent.isEmpty()) {
      if (m.running() && m.status() != null) {
        out.printf(
            "No drift check of %s yet: its monitor (%s, RUNNING) makes the first at %s.%n",
            model, m.workflowId(), m.status().nextCheckAt());
      } else {
        out.printf(
            "The monitor of %s (%s, %s) made no checks. Start a new one with: perennial monitor"
                + " start --model %s%n",
            model, m.workflowId(), m.state(), model);
      }
      out.flush();
      return 0;
    }
    DriftCheck latest = recent.get(recent.size() - 1);
    if (all) {
      out.printf(
          "Drift checks of %s: the latest %d of %d (monitor %s, %s)%n",
          model, recent.size(), state.checks(), m.workflowId(), m.state());
      TextTable table = new TextTable("at", "verdict", "drifted", "max PSI", "action");
      for (DriftCheck c : recent) {
        table.row(
            c.at(),
            c.verdict(),
            c.drifted() == null || c.drifted().isEmpty() ? null : String.join(",", c.drifted()),
            psi(c.maxPsi()),
            c.action());
      }
      table.print(out);
      printReport("latest report: ", latest, links, out);
      out.flush();
      return 0;
    }
    DriftPolicy policy = m.status() == null ? null : m.status().policy();
    out.printf(
        "Drift of %s: latest check at %s (monitor %s, %s; %d checks so far)%n",
        model, latest.at(), m.workflowId(), m.state(), state.checks());
    out.printf(
        "  window:     %s%n",
        policy == null
            ? "ending " + latest.at()
            : "the " + policy.window() + " of traffic before " + latest.at());
    out.printf("  champion:   %s%n", latest.champion() == null ? "none" : "v" + latest.champion());
    out.printf("  rows:       %d%n", latest.rows());
    out.printf("  verdict:    %s%n", latest.verdict());
    if (latest.reasons() != null) {
      for (String reason : latest.reasons()) {
        out.printf("              %s%n", reason);
      }
    }
    out.printf(
        "  drifted:    %s%n",
        latest.drifted() == null || latest.drifted().isEmpty()
            ? "no feature"
            : String.join(", ", latest.drifted())
                + (latest.maxPsi() == null ? "" : " (largest PSI " + psi(latest.maxPsi()) + ")"));
    out.printf("  action:     %s%n", latest.action() == null ? "none" : latest.action());
    printReport("  report:     ", latest, links, out);
    DriftReport report = figures.apply(latest.data());
    if (report != null) {
      printFigures(report, out);
      out.println("The histograms of every feature are in the HTML report.");
    } else if (latest.report() != null) {
      out.println(
          "Every feature's PSI, tests and histograms, and online quality, are in the report.");
    }
    if (recent.size() > 1) {
      out.printf("Earlier checks: perennial drift --model %s --all%n", model);
    }
    out.flush();
    return 0;
  }

  private static void printReport(
      String label, DriftCheck check, UnaryOperator<String> links, PrintWriter out) {
    if (check.report() == null) {
      out.println(label + "none written");
      return;
    }
    out.println(label + check.report());
    String http = links.apply(check.report());
    if (http != null) {
      out.printf(
          "%s%s (signed, valid %s)%n",
          " ".repeat(label.length()), http, Durations.format(LINK_VALIDITY));
    }
  }

  /** The statistics table of a report, drifted features first, and its online quality. */
  static void printFigures(DriftReport report, PrintWriter out) {
    TextTable table =
        new TextTable("feature", "type", "missing", "PSI", "KS", "test p", "JS", "W1", "drifted");
    for (FeatureDrift f : report.features()) {
      table.row(
          f.feature(),
          f.type().equals("NUMERIC") ? "num" : "cat",
          String.format(Locale.ROOT, "%.1f%%", f.missingRate() * 100),
          fixed(f.psi()),
          fixed(f.ks()),
          f.pValue() == null
              ? null
              : f.pValue() < 1e-3
                  ? String.format(Locale.ROOT, "%.1e", f.pValue())
                  : String.format(Locale.ROOT, "%.3f", f.pValue()),
          fixed(f.jsDistance()),
          f.wasserstein() == null ? null : String.format(Locale.ROOT, "%.4g", f.wasserstein()),
          f.drifted() ? (f.critical() ? "CRITICAL" : "yes") : null);
    }
    table.print(out);
    if (report.quality() != null && report.quality().finding() != null) {
      out.println("  quality:    " + report.quality().finding());
    }
  }

  private static String fixed(Double value) {
    return value == null ? null : String.format(Locale.ROOT, "%.3f", value);
  }

  private static String psi(Double value) {
    return value == null ? null : String.format(Locale.ROOT, "%.3f", value);
  }
}
