package dev.perennial.workflows.approval;

import dev.perennial.workflows.RequestProblems;
import java.util.List;

/**
 * Who decides on a version waiting for approval, and why: the input of the {@code approve} and
 * {@code reject} updates, e.g. {@code {"by":"alice","note":"checked the ROC curves"}}. Both are
 * recorded in the registry's audit log with the alias change they cause.
 *
 * @param by who decides (required): a person's name or login
 * @param note why, optional
 */
public record ApprovalRequest(String by, String note) {
  static final int MAX_BY = 200;
  static final int MAX_NOTE = 2000;

  /** Every problem of this request, each naming its field; empty when it is valid. */
  public List<String> problems() {
    return new RequestProblems()
        .require(by != null && !by.isBlank(), "by", "say who decides, e.g. {\"by\":\"alice\"}")
        .require(by == null || by.length() <= MAX_BY, "by", "at most " + MAX_BY + " characters")
        .require(
            note == null || note.length() <= MAX_NOTE,
            "note",
            "at most " + MAX_NOTE + " characters")
        .list();
  }

  /** Throws what an update's caller sees when this request is malformed. */
  public void validate() {
    RequestProblems.refuse(problems());
  }
}
