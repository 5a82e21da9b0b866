package dev.perennial.starter.cli;

import dev.perennial.core.store.ObjectStore;
import dev.perennial.starter.ops.Causes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintWriter;
import java.util.List;

/** The command line's exit codes (as {@code perennial --help} lists them) and its error lines. */
public final class Exit {
  /** The operation failed; the message says why. */
  public static final int FAILED = 1;

  /** A request refused before anything started: an invalid command line. */
  public static final int REFUSED = 2;

  /** A server (Temporal or S3) cannot be reached. */
  public static final int UNREACHABLE = 3;

  private Exit() {}

  /** One actionable line per failure instead of a stack trace. */
  public static int report(Throwable e, PrintWriter err) {
    StatusRuntimeException grpc = Causes.find(e, StatusRuntimeException.class);
    if (grpc != null
        && (grpc.getStatus().getCode() == Status.Code.UNAVAILABLE
            || grpc.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED)) {
      err.println(
          "error: cannot reach Temporal ("
              + grpc.getStatus().getCode()
              + "). Is `./perennial up` running, or --temporal / PERENNIAL_TEMPORAL_ADDRESS set?");
      return UNREACHABLE;
    }
    var store = Causes.find(e, ObjectStore.ObjectStoreException.class);
    if (store != null) {
      err.println(
          "error: S3 failed: "
              + store.getMessage()
              + ". Is `./perennial up` running, or --s3-endpoint / PERENNIAL_S3_* set?");
      return UNREACHABLE;
    }
    if (e instanceof WorkflowFailedException wf) {
      ApplicationFailure af = Causes.find(wf, ApplicationFailure.class);
      err.println(
          "error: the workflow failed: "
              + (af != null ? af.getOriginalMessage() : String.valueOf(wf.getCause())));
      return FAILED;
    }
    err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    return FAILED;
  }

  /**
   * Prints each problem as an {@code error:} line and returns {@link #REFUSED}; null when there are
   * none, so the command goes on.
   */
  public static Integer refuse(List<String> problems, PrintWriter err) {
    if (problems.isEmpty()) {
      return null;
    }
    problems.forEach(p -> err.println("error: " + p));
    err.flush();
    return REFUSED;
  }
}
