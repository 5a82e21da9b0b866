package dev.perennial.starter.cli;

import dev.perennial.starter.cli.monitor.MonitorOutput;
import dev.perennial.starter.ops.DriftReports;
import dev.perennial.starter.ops.DriftReports.Checks;
import dev.perennial.starter.ops.DriftReports.NoMonitor;
import dev.perennial.starter.ops.DriftReports.Unanswered;
import dev.perennial.workflows.Durations;
import dev.perennial.workflows.drift.DriftCheck;
import dev.perennial.workflows.drift.DriftPolicy;
import dev.perennial.workflows.drift.DriftReport;
import dev.perennial.workflows.drift.FeatureDrift;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** How {@code drift} and the demo print a model's drift checks. */
public final class DriftOutput {
  private DriftOutput() {}

  /**
   * The latest check (or, with {@code all}, every kept check) of the model's monitor, with the
   * latest check's figures when they were read; {@code links} turns a report uri into an http link,
   * or null.
   */
  public static void print(
      String model,
      DriftReports.Reading reading,
      boolean all,
      UnaryOperator<String> links,
      PrintWriter out) {
    switch (reading) {
      case NoMonitor none -> out.println(MonitorOutput.noMonitor(none.model()));
      case Unanswered unanswered -> out.println(MonitorOutput.unanswered(unanswered.monitor()));
      case Checks checks when checks.latest() == null -> noChecks(model, checks, out);
      case Checks checks when all -> all(model, checks, links, out);
      case Checks checks -> latest(model, checks, links, out);
    }
    out.flush();
  }

  private static void noChecks(String model, Checks checks, PrintWriter out) {
    var m = checks.monitor();
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
  }

  private static void all(
      String model, Checks checks, UnaryOperator<String> links, PrintWriter out) {
    List<DriftCheck> recent = checks.recent();
    out.printf(
        "Drift checks of %s: the latest %d of %d (monitor %s, %s)%n",
        model,
        recent.size(),
        checks.state().checks(),
        checks.monitor().workflowId(),
        checks.monitor().state());
    TextTable table = new TextTable("at", "verdict", "drifted", "max PSI", "action");
    for (DriftCheck c : recent) {
      table.row(
          c.at(),
          c.verdict(),
          c.drifted() == null || c.drifted().isEmpty() ? null : String.join(",", c.drifted()),
          fixed(c.maxPsi()),
          c.action());
    }
    table.print(out);
    report("latest report: ", checks.latest(), links, out);
  }

  private static void latest(
      String model, Checks checks, UnaryOperator<String> links, PrintWriter out) {
    var m = checks.monitor();
    DriftCheck latest = checks.latest();
    DriftPolicy policy = m.status() == null ? null : m.status().policy();
    out.printf(
        "Drift of %s: latest check at %s (monitor %s, %s; %d checks so far)%n",
        model, latest.at(), m.workflowId(), m.state(), checks.state().checks());
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
                + (latest.maxPsi() == null ? "" : " (largest PSI " + fixed(latest.maxPsi()) + ")"));
    out.printf("  action:     %s%n", latest.action() == null ? "none" : latest.action());
    report("  report:     ", latest, links, out);
    if (checks.figures() != null) {
      figures(checks.figures(), out);
      out.println("The histograms of every feature are in the HTML report.");
    } else if (latest.report() != null) {
      out.println(
          "Every feature's PSI, tests and histograms, and online quality, are in the report.");
    }
    if (checks.recent().size() > 1) {
      out.printf("Earlier checks: perennial drift --model %s --all%n", model);
    }
  }

  private static void report(
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
          " ".repeat(label.length()), http, Durations.format(DriftReports.LINK_VALIDITY));
    }
  }

  /** The statistics table of a report, drifted features first, and its online quality. */
  static void figures(DriftReport report, PrintWriter out) {
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
          wasserstein(f),
          f.drifted() ? (f.critical() ? "CRITICAL" : "yes") : null);
    }
    table.print(out);
    if (report.quality() != null && report.quality().finding() != null) {
      out.println("  quality:    " + report.quality().finding());
    }
  }

  /**
   * The Wasserstein-1 distance with its error bound when the report has one: it is streamed against
   * the training quantile sketch, and on heavy tails the figure alone can be several times the
   * exact distance.
   */
  private static String wasserstein(FeatureDrift f) {
    if (f.wasserstein() == null) {
      return null;
    }
    String figure = String.format(Locale.ROOT, "%.4g", f.wasserstein());
    return f.wassersteinErrorBound() == null
        ? figure
        : figure + " ± " + String.format(Locale.ROOT, "%.2g", f.wassersteinErrorBound());
  }

  private static String fixed(Double value) {
    return value == null ? null : String.format(Locale.ROOT, "%.3f", value);
  }
}
