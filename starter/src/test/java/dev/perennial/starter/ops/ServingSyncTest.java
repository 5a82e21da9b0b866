package dev.perennial.starter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What is served is read from the model server's health component as the server writes it. */
class ServingSyncTest {
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void inSync() throws IOException {
    String base =
        serve(
            "{\"status\":\"UP\",\"details\":{\"credit-default\":{\"wanted\":{\"champion\":4,"
                + "\"canary\":5},\"served\":{\"champion\":4,\"canary\":5}}}}");

    assertThat(ServingSync.read(base, "credit-default"))
        .isEqualTo(new ServingSync.InSync(new ServingSync.Roles(4, 5)));
  }

  @Test
  void aShadowIsReadAsItsOwnRole() throws IOException {
    String base =
        serve(
            "{\"status\":\"UP\",\"details\":{\"credit-default\":{\"wanted\":{\"champion\":4,"
                + "\"shadow\":5},\"served\":{\"champion\":4,\"shadow\":5}}}}");

    assertThat(ServingSync.read(base, "credit-default"))
        .isEqualTo(new ServingSync.InSync(new ServingSync.Roles(4, null, 5)));
  }

  @Test
  void aVersionThatCannotLoadIsNamedWithItsReason() throws IOException {
    String base =
        serve(
            "{\"status\":\"OUT_OF_SYNC\",\"details\":{\"credit-default\":{\"wanted\":"
                + "{\"champion\":6},\"served\":{\"champion\":4},\"problem\":\"model"
                + " s3://a/m.bin does not match its recorded SHA-256\"}}}");

    assertThat(ServingSync.read(base, "credit-default"))
        .isEqualTo(
            new ServingSync.Behind(
                new ServingSync.Roles(4, null),
                new ServingSync.Roles(6, null),
                "model s3://a/m.bin does not match its recorded SHA-256"));
  }

  @Test
  void aServerThatCannotReadTheRegistrySaysWhy() throws IOException {
    String base =
        serve(
            "{\"status\":\"UNKNOWN\",\"details\":{\"credit-default\":{\"served\":{},"
                + "\"problem\":\"S3 down\"}}}");

    assertThat(ServingSync.read(base, "credit-default"))
        .isEqualTo(new ServingSync.Unknown(new ServingSync.Roles(null, null), "S3 down"));
  }

  @Test
  void aModelNotServedYetSaysSo() throws IOException {
    String base = serve("{\"status\":\"UP\",\"details\":{}}");

    assertThat(ServingSync.read(base, "credit-default"))
        .isEqualTo(new ServingSync.NotServed("credit-default", base));
  }

  @Test
  void anUnreachableServerIsNamed() throws IOException {
    String base = serve("{}");
    server.stop(0);
    server = null;

    assertThat(ServingSync.read(base, "credit-default"))
        .isInstanceOfSatisfying(
            ServingSync.Unreachable.class,
            u -> {
              assertThat(u.base()).isEqualTo(base);
              assertThat(u.error()).contains("ConnectException");
            });
  }

  private String serve(String body) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/actuator/health/models",
        exchange -> {
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }
}
