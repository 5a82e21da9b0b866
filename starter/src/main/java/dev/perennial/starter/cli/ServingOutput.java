package dev.perennial.starter.cli;

import dev.perennial.starter.ops.ServingSync;

/** The line {@code perennial status} prints under a run: what the model server serves. */
final class ServingOutput {
  private ServingOutput() {}

  static String line(ServingSync.Served served) {
    return "Serving:  "
        + switch (served) {
          case ServingSync.Unreachable u ->
              "the model server at " + u.base() + " cannot be asked (" + u.error() + ")";
          case ServingSync.Interrupted i ->
              "interrupted while asking the model server at " + i.base();
          case ServingSync.NotServed n ->
              n.model() + " is not served yet at " + n.base() + " (it loads on first request)";
          case ServingSync.Unknown u ->
              versions(u.served()) + "; the registry cannot be read: " + u.problem();
          case ServingSync.InSync s -> versions(s.served()) + ", as the registry says";
          case ServingSync.Behind b ->
              versions(b.served())
                  + ", but the registry wants "
                  + versions(b.wanted())
                  + ": "
                  + b.problem();
        };
  }

  private static String versions(ServingSync.Roles roles) {
    if (roles.champion() == null) {
      return "nothing";
    }
    String text = "champion v" + roles.champion();
    if (roles.canary() != null) {
      text += ", canary v" + roles.canary();
    }
    return roles.shadow() != null
        ? text + ", shadow v" + roles.shadow() + " (answers nobody)"
        : text;
  }
}
