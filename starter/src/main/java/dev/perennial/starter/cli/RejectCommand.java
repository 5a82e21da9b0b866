package dev.perennial.starter.cli;

import dev.perennial.workflows.approval.Approvable;
import picocli.CommandLine.Command;

/** {@code perennial reject}: say no to the version a model's pipeline run waits to promote. */
@Command(
    name = "reject",
    mixinStandardHelpOptions = true,
    description = {
      "Reject the version a model's pipeline run waits to promote (stage AWAITING_APPROVAL): it is"
          + " withdrawn, with --by and --note in the registry's audit log; the champion stays.",
      "Found and refused as approve is (see perennial approve --help)."
    })
final class RejectCommand extends ApproveCommand {
  @Override
  String update() {
    return Approvable.REJECT;
  }
}
