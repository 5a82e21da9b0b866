package dev.perennial.starter.cli;

import dev.perennial.core.store.MinioObjectStore;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.starter.ops.DriftReports;
import dev.perennial.starter.stack.Endpoints;
import dev.perennial.workflows.RequestProblems;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
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
    Integer refused =
        Exit.refuse(new RequestProblems().name("model", model).list(), spec.commandLine().getErr());
    if (refused != null) {
      return refused;
    }
    Endpoints endpoints = connection.endpoints();
    MinioObjectStore signer =
        endpoints.s3AccessKey() == null || endpoints.s3AccessKey().isBlank()
            ? null
            : ObjectStores.client(endpoints.s3Settings());
    try {
      // Only the latest check's figures are printed, so only then is its report read.
      return print(
          connection.workflowClient(),
          model,
          all,
          all ? null : signer,
          DriftReports.links(signer),
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
   * Prints the model's latest check, or with {@code all} every kept check; {@code figures} is the
   * store the latest check's report is read from for its per-feature table (null: none read), and
   * {@code links} turns a report uri into an http link, or null. Returns the exit code.
   */
  static int print(
      WorkflowClient client,
      String model,
      boolean all,
      ObjectStore figures,
      UnaryOperator<String> links,
      PrintWriter out) {
    DriftReports.Reading reading = DriftReports.checks(client, model, figures);
    DriftOutput.print(model, reading, all, links, out);
    return reading instanceof DriftReports.Checks ? 0 : Exit.FAILED;
  }
}
