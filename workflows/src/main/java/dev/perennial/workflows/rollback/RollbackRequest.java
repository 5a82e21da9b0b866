package dev.perennial.workflows.rollback;

import dev.perennial.workflows.RequestProblems;
import java.util.List;

/**
 * Input of the {@code Rollback} workflow: make an earlier approved version champion again.
 *
 * @param model model name
 * @param version the version to serve
 * @param reason why, recorded in the audit log (required)
 * @param actor who asks; defaults to "unknown"
 */
public record RollbackRequest(String model, Integer version, String reason, String actor) {

  public List<String> problems() {
    return new RequestProblems()
        .name("model", model)
        .require(version != null && version >= 1, "version", "must be a version number, 1 or more")
        .require(
            reason != null && !reason.isBlank(),
            "reason",
            "is required: say why, for the audit log")
        .list();
  }
}
