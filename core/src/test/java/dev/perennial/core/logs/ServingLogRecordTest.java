package dev.perennial.core.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.perennial.core.Json;
import dev.perennial.core.logs.ServingLogRecord.Failure;
import dev.perennial.core.logs.ServingLogRecord.Feedback;
import dev.perennial.core.logs.ServingLogRecord.Prediction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServingLogRecordTest {
  private static final Instant TIME = Instant.parse("2026-03-02T10:00:00.123456Z");

  /** A line as the model server wrote it before this record: a map, serialized with sorted keys. */
  private static String mapLine(Map<String, Object> fields) throws Exception {
    return Json.MAPPER
        .writer()
        .without(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(fields);
  }

  private static String line(ServingLogRecord record) {
    return new String(record.toLine(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String line) {
    return line.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void linesAreByteForByteWhatTheServerWroteBefore() throws Exception {
    Map<String, Object> features = new HashMap<>();
    features.put("utilization", 0.93);
    features.put("age", 41.0);
    features.put("region", "south");
    Map<String, Object> old = new HashMap<>();
    old.put("probability", 0.25);
    old.put("label", 0);
    old.put("requestId", "r-1");
    old.put("row", 2);
    old.put("version", 3);
    old.put("features", features);
    old.put("latencyMs", 1.5);
    old.put("entityKey", "customer-42");
    old.put("time", TIME.toString());
    old.put("model", "churn");
    assertThat(line(new Prediction("churn", TIME, "r-1", 3, 2, 0.25, features, 1.5, "customer-42")))
        .isEqualTo(mapLine(old));

    old.remove("entityKey");
    assertThat(line(new Prediction("churn", TIME, "r-1", 3, 2, 0.25, features, 1.5, null)))
        .isEqualTo(mapLine(old));

    Map<String, Object> failure = new HashMap<>();
    failure.put("requestId", "r-2");
    failure.put("version", 2);
    failure.put("error", "NumberFormatException: forty");
    failure.put("latencyMs", 0.75);
    failure.put("time", TIME.toString());
    failure.put("model", "churn");
    assertThat(line(new Failure("churn", TIME, "r-2", 2, "NumberFormatException: forty", 0.75)))
        .isEqualTo(mapLine(failure));

    Map<String, Object> feedback = new HashMap<>();
    feedback.put("requestId", "r-1");
    feedback.put("label", 1);
    feedback.put("time", TIME.toString());
    feedback.put("model", "churn");
    assertThat(line(new Feedback("churn", TIME, "r-1", null, 1))).isEqualTo(mapLine(feedback));
    feedback.put("row", 2);
    assertThat(line(new Feedback("churn", TIME, "r-1", 2, 1))).isEqualTo(mapLine(feedback));
  }

  @Test
  void whatIsWrittenReadsBackWithTheFeaturesInTheSink() throws Exception {
    Prediction written =
        new Prediction(
            "churn", TIME, "r-1", 3, 2, 0.75, Map.of("age", 41.0, "region", "south"), 1.5, "k");
    FeatureSink sink =
        new FeatureSink(List.of("age", "region", "income"), new boolean[] {true, false, true});
    LineCodec.Parser parser = new LineCodec.Parser("churn", sink);
    byte[] bytes = written.toLine();

    assertThat(parser.served(bytes, bytes.length))
        .isEqualTo(new Prediction("churn", TIME, "r-1", 3, 2, 0.75, null, 1.5, "k"));
    assertThat(sink.number(0)).isEqualTo(41.0);
    assertThat(sink.category(1)).isEqualTo("south");
    assertThat(sink.number(2)).as("absent").isNaN();

    Failure failure = new Failure("churn", TIME, "r-2", 2, "boom", null);
    byte[] failed = failure.toLine();
    assertThat(parser.served(failed, failed.length)).isEqualTo(failure);
    assertThat(sink.number(0)).as("cleared for the next line").isNaN();

    Feedback label = new Feedback("churn", TIME, "r-1", 2, 1);
    byte[] labelled = label.toLine();
    assertThat(parser.feedback(labelled, labelled.length)).isEqualTo(label);
  }

  @Test
  void aShadowsLinesCarryTheFlagAndReadBackWithItWhileOtherLinesLeaveItOut() throws Exception {
    Prediction shadow = new Prediction("churn", TIME, "r-1", 4, 0, 0.6, null, 2.5, null, true);
    Failure failed = new Failure("churn", TIME, "r-2", 4, "boom", 1.0, true);
    assertThat(line(shadow)).contains("\"shadow\":true");
    assertThat(line(failed)).contains("\"shadow\":true");
    assertThat(line(new Prediction("churn", TIME, "r-1", 3, 0, 0.6, null, 2.5, null)))
        .doesNotContain("shadow");

    LineCodec.Parser parser = new LineCodec.Parser("churn", null);
    byte[] a = shadow.toLine();
    byte[] b = failed.toLine();
    assertThat(parser.served(a, a.length)).isEqualTo(shadow);
    assertThat(parser.served(b, b.length)).isEqualTo(failed);
    String answered =
        "{\"time\":\"2026-03-02T10:00:00Z\",\"requestId\":\"r\",\"version\":1,\"row\":0,"
            + "\"probability\":0.5,\"shadow\":false}";
    assertThat(parser.served(bytes(answered), bytes(answered).length).shadow()).isFalse();
  }

  @Test
  void malformedLinesAreRefusedNamingTheField() {
    FeatureSink sink = new FeatureSink(List.of("age", "region"), new boolean[] {true, false});
    LineCodec.Parser parser = new LineCodec.Parser("churn", sink);
    String entry = "\"time\":\"2026-03-02T10:00:00Z\",\"requestId\":\"r\"";
    assertServedRefused(parser, "not json", "not JSON: ");
    assertServedRefused(parser, "[1]", "not a JSON object");
    assertServedRefused(parser, "{\"requestId\":\"r\",\"version\":1}", "time: must be");
    assertServedRefused(parser, "{\"time\":\"yesterday\",\"requestId\":\"r\"}", "time: must be");
    assertServedRefused(
        parser, "{\"time\":\"2026-03-02T10:00:00Z\",\"requestId\":\" \"}", "requestId: must be");
    assertServedRefused(parser, "{" + entry + ",\"version\":\"1\"}", "version: must be an integer");
    assertServedRefused(
        parser, "{" + entry + ",\"version\":1,\"probability\":0.5}", "row: must be");
    assertServedRefused(
        parser, "{" + entry + ",\"version\":1,\"row\":-1,\"probability\":0.5}", "row: must be");
    assertServedRefused(
        parser,
        "{" + entry + ",\"version\":1,\"row\":0,\"probability\":1.5}",
        "probability: must be a number between 0 and 1 (got 1.5)");
    assertServedRefused(
        parser,
        "{" + entry + ",\"version\":1,\"error\":\"x\",\"latencyMs\":-1}",
        "latencyMs: must be");
    assertServedRefused(
        parser, "{" + entry + ",\"version\":1,\"error\":7}", "error: must be a string");
    assertServedRefused(
        parser,
        "{" + entry + ",\"version\":1,\"error\":\"x\",\"shadow\":\"yes\"}",
        "shadow: must be true or false");
    String row = "{" + entry + ",\"version\":1,\"row\":0,\"probability\":0.5,";
    assertServedRefused(parser, row + "\"features\":[1]}", "features: must be an object");
    assertServedRefused(
        parser, row + "\"features\":{\"age\":\"x\"}}", "features.age: must be a number");
    assertServedRefused(
        parser, row + "\"features\":{\"region\":7}}", "features.region: must be a string");

    assertFeedbackRefused(parser, "{" + entry + ",\"label\":2}", "label: must be 0 or 1");
    assertFeedbackRefused(parser, "{" + entry + "}", "label: must be 0 or 1");
    assertFeedbackRefused(parser, "{" + entry + ",\"label\":1,\"row\":\"a\"}", "row: must be");
  }

  @Test
  void fieldsNoRecordKnowsAndFeaturesNoSinkKeepsAreNotChecked() throws Exception {
    LineCodec.Parser parser = new LineCodec.Parser("churn", null);
    String line =
        "{\"time\":\"2026-03-02T10:00:00Z\",\"requestId\":\"r\",\"version\":1,\"row\":0,"
            + "\"probability\":0.5,\"label\":\"yes\",\"model\":7,\"extra\":[1],"
            + "\"features\":{\"nested\":{\"a\":[]}}}";
    assertThat(parser.served(bytes(line), bytes(line).length))
        .isEqualTo(
            new Prediction(
                "churn", Instant.parse("2026-03-02T10:00:00Z"), "r", 1, 0, 0.5, null, null, null));
  }

  @Test
  void recordsRefuseWhatNoReaderWouldAccept() {
    assertThatThrownBy(() -> new Prediction("m", TIME, "r", 1, 0, Double.NaN, null, null, null))
        .hasMessageStartingWith("probability: must be");
    assertThatThrownBy(() -> new Feedback("m", TIME, "", null, 1))
        .hasMessageStartingWith("requestId: must be");
    assertThatThrownBy(() -> new Feedback("m", TIME, "r", null, 3))
        .hasMessageStartingWith("label: must be 0 or 1");
    assertThatThrownBy(
            () -> new Prediction("m", TIME, "r", 1, 0, 0.5, Map.of("x", true), null, null).toLine())
        .hasMessageStartingWith("features.x: must be a number or a string");
  }

  private static void assertServedRefused(LineCodec.Parser parser, String line, String message) {
    assertThatThrownBy(() -> parser.served(bytes(line), bytes(line).length))
        .as(line)
        .isInstanceOf(MalformedLine.class)
        .hasMessageStartingWith(message);
  }

  private static void assertFeedbackRefused(LineCodec.Parser parser, String line, String message) {
    assertThatThrownBy(() -> parser.feedback(bytes(line), bytes(line).length))
        .as(line)
        .isInstanceOf(MalformedLine.class)
        .hasMessageStartingWith(message);
  }
}
