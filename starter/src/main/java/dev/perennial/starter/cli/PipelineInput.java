package dev.perennial.starter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --input} of {@code run} and {@code schedule create}: one JSON object, given inline or
 * as {@code @file.json}, that becomes the pipeline's workflow argument with {@code --model} as its
 * {@code model} field.
 */
public final class PipelineInput {
  static final ObjectMapper JSON = new ObjectMapper();

  private PipelineInput() {}

  /** Turns the option's text into a JSON object; anything else is a usage error (exit 2). */
  public static final class Converter implements ITypeConverter<ObjectNode> {
    @Override
    public ObjectNode convert(String value) {
      String text = value;
      String where = "";
      if (value.startsWith("@")) {
        Path file = Path.of(value.substring(1));
        where = " in " + file;
        try {
          text = Files.readString(file);
        } catch (NoSuchFileException e) {
          throw new TypeConversionException("no such file: " + file);
        } catch (IOException e) {
          throw new TypeConversionException("cannot read " + file + ": " + e.getMessage());
        }
      }
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        var at = e.getLocation();
        throw new TypeConversionException(
            "not JSON"
                + where
                + ": "
                + e.getOriginalMessage()
                + (at == null
                    ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
      }
      if (!(node instanceof ObjectNode object)) {
        throw new TypeConversionException(
            "must be one JSON object such as {\"holdoutDays\":3}"
                + where
                + ", not "
                + (node == null || node.isMissingNode() ? "nothing" : node.getNodeType()));
      }
      return object;
    }
  }

  /**
   * {@code input} (or an empty object) with {@code model} as its model field; a problem when the
   * input names another model.
   */
  public static ObjectNode withModel(ObjectNode input, String model, List<String> problems) {
    ObjectNode merged = input == null ? JSON.createObjectNode() : input.deepCopy();
    JsonNode given = merged.get("model");
    if (given != null && !given.isNull() && !model.equals(given.asText())) {
      problems.add(
          "--input: its model is '"
              + given.asText()
              + "' but --model is '"
              + model
              + "': leave model out of the input or give the same");
    }
    merged.put("model", model);
    return merged;
  }

  /**
   * The input as a {@link ContinuousTrainingRequest}, for the types known to take one; a field the
   * request does not have is a problem, so a typo is not silently dropped.
   */
  public static ContinuousTrainingRequest asContinuousTraining(
      ObjectNode input, List<String> problems) {
    try {
      ContinuousTrainingRequest request =
          JSON.copy()
              .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .treeToValue(input, ContinuousTrainingRequest.class);
      problems.addAll(request.problems().stream().map(p -> "--input: " + p).toList());
      return request;
    } catch (UnrecognizedPropertyException e) {
      problems.add(
          "--input: unknown field '"
              + e.getPropertyName()
              + "' (a ContinuousTrainingRequest has "
              + String.join(", ", e.getKnownPropertyIds().stream().map(String::valueOf).toList())
              + ")");
      return null;
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String message =
          e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      problems.add("--input is not a ContinuousTrainingRequest: " + message);
      return null;
    }
  }
}
