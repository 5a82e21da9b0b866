package dev.perennial.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.starter.ops.ServingSync;
import dev.perennial.starter.ops.ServingSync.Roles;
import org.junit.jupiter.api.Test;

/** The line {@code status} prints for what the model server serves. */
class ServingOutputTest {
  static final String BASE = "http://127.0.0.1:8081";

  @Test
  void inSync() {
    assertThat(ServingOutput.line(new ServingSync.InSync(new Roles(4, 5))))
        .isEqualTo("Serving:  champion v4, canary v5, as the registry says");
  }

  @Test
  void aShadowIsNamedAsAnsweringNobody() {
    assertThat(ServingOutput.line(new ServingSync.InSync(new Roles(4, null, 5))))
        .isEqualTo("Serving:  champion v4, shadow v5 (answers nobody), as the registry says");
  }

  @Test
  void aVersionThatCannotLoadIsNamedWithItsReason() {
    assertThat(
            ServingOutput.line(
                new ServingSync.Behind(
                    new Roles(4, null),
                    new Roles(6, null),
                    "model s3://a/m.bin does not match its recorded SHA-256")))
        .isEqualTo(
            "Serving:  champion v4, but the registry wants champion v6: model s3://a/m.bin does"
                + " not match its recorded SHA-256");
  }

  @Test
  void nothingServedAndNoRegistry() {
    assertThat(ServingOutput.line(new ServingSync.Unknown(new Roles(null, 3), "S3 down")))
        .isEqualTo("Serving:  nothing; the registry cannot be read: S3 down");
  }

  @Test
  void aModelNotServedYetSaysSo() {
    assertThat(ServingOutput.line(new ServingSync.NotServed("credit-default", BASE)))
        .isEqualTo(
            "Serving:  credit-default is not served yet at "
                + BASE
                + " (it loads on first request)");
  }

  @Test
  void anUnreachableServerIsNamed() {
    assertThat(
            ServingOutput.line(
                new ServingSync.Unreachable(BASE, "java.net.ConnectException: refused")))
        .isEqualTo(
            "Serving:  the model server at "
                + BASE
                + " cannot be asked (java.net.ConnectException: refused)");
  }
}
